package com.example.couponservice.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;
import com.example.couponservice.ratelimit.RateLimitBuckets.Decision;
import com.example.couponservice.support.LettuceClusterClients;
import com.example.couponservice.support.RedisClusterSupport;
import com.example.couponservice.support.RedisClusterSupport.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared buckets of Redis mode on the shared cluster: the contract, keys that expire
 * with their window, and scripts a node forgot sent again.
 */
class RedisRateLimitBucketsTests extends SharedRateLimitBucketsContractTests<RedisRateLimitBuckets> {

	private final RedisClusterSupport cluster = RedisClusterSupport.shared();

	private final List<RedisRateLimitBuckets> instances = new ArrayList<>();

	private RedisClusterClient client;

	private StatefulRedisClusterConnection<String, String> redis;

	private String prefix;

	@BeforeEach
	void connect() {
		this.client = LettuceClusterClients.create(this.cluster.nodes());
		this.redis = this.client.connect(StringCodec.UTF8);
		this.prefix = this.cluster.newKeyPrefix() + "ratelimit:";
	}

	@AfterEach
	void close() {
		this.instances.forEach(RedisRateLimitBuckets::close);
		this.redis.close();
		this.client.shutdown();
	}

	@Override
	RedisRateLimitBuckets newInstance() {
		RedisRateLimitBuckets instance = new RedisRateLimitBuckets(this.client.connect(StringCodec.UTF8), this.prefix,
				DEFAULTS, this.clock);
		this.instances.add(instance);
		return instance;
	}

	@Override
	long used(String id) {
		String used = this.redis.sync().hget(this.prefix + id, "u");
		return (used != null) ? Long.parseLong(used) : 0;
	}

	@Override
	void forget(String id) {
		assertThat(this.redis.sync().del(this.prefix + id)).isOne();
	}

	@Test
	void aWindowsKeyExpiresWhenTheWindowEnds() {
		buckets().tryConsume(Budget.STATUS, Scope.ADDRESS, "203.0.113.20");
		Long ttl = this.redis.sync().pttl(this.prefix + "status:203.0.113.20");
		assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1).toMillis());
	}

	@Test
	void aScriptTheNodesForgotIsSentAgain() {
		assertThat(buckets().tryConsume(Budget.STATUS, Scope.ADDRESS, "203.0.113.30").allowed()).isTrue();
		for (Node node : this.cluster.allNodes()) {
			this.cluster.call(node, "SCRIPT", "FLUSH");
		}
		Decision second = buckets().tryConsume(Budget.STATUS, Scope.ADDRESS, "203.0.113.30");
		assertThat(second.allowed()).isTrue();
		assertThat(second.remaining()).isEqualTo(58);
	}

}
