package com.example.couponservice.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;
import com.example.couponservice.ratelimit.RateLimitBuckets.Decision;
import com.example.couponservice.support.LettuceClusterClients;
import com.example.couponservice.support.MutableClock;
import com.example.couponservice.support.RedisClusterSupport;
import com.example.couponservice.support.RedisClusterSupport.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared buckets of Redis mode on the shared cluster: fixed windows counted by one
 * script, shared by instances, a spent budget refused without a round trip, keys that
 * expire with their window, and scripts a node forgot sent again.
 */
class RedisRateLimitBucketsTests {

	private static final RateLimitProperties DEFAULTS = new RateLimitProperties(
			new RateLimitProperties.Redeem(5, 50, Duration.ofMinutes(1)),
			new RateLimitProperties.Status(60, 600, Duration.ofMinutes(1)),
			new RateLimitProperties.Generate(0, Duration.ofMinutes(1)), 64, 24, 48, 100_000, Duration.ofMinutes(2),
			Duration.ofMinutes(1));

	private final RedisClusterSupport cluster = RedisClusterSupport.shared();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));

	private final List<RedisRateLimitBuckets> instances = new ArrayList<>();

	private RedisClusterClient client;

	private StatefulRedisClusterConnection<String, String> redis;

	private String prefix;

	private RedisRateLimitBuckets buckets;

	@BeforeEach
	void connect() {
		this.client = LettuceClusterClients.create(this.cluster.nodes());
		this.redis = this.client.connect(StringCodec.UTF8);
		this.prefix = this.cluster.newKeyPrefix() + "ratelimit:";
		this.buckets = newInstance();
	}

	@AfterEach
	void close() {
		this.instances.forEach(RedisRateLimitBuckets::close);
		this.redis.close();
		this.client.shutdown();
	}

	private RedisRateLimitBuckets newInstance() {
		RedisRateLimitBuckets instance = new RedisRateLimitBuckets(this.client.connect(StringCodec.UTF8), this.prefix,
				DEFAULTS, this.clock);
		this.instances.add(instance);
		return instance;
	}

	@Test
	void aWindowLetsCapacityAttemptsThroughThenRefusesUntilItEnds() {
		for (int i = 1; i <= 5; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			Decision allowed = this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7");
			assertThat(allowed.allowed()).isTrue();
			assertThat(allowed.remaining()).isEqualTo(5 - i);
			assertThat(allowed.limit()).isEqualTo(5);
		}
		Decision refused = this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7");
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.firstRejection()).isTrue();
		assertThat(refused.remaining()).isZero();
		// The window opened with the first attempt, 5 s ago.
		assertThat(refused.nanosToRefill()).isEqualTo(TimeUnit.SECONDS.toNanos(56));
		// Other keys, budgets and scopes have windows of their own.
		assertThat(this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.8").allowed()).isTrue();
		assertThat(this.buckets.tryConsume(Budget.STATUS, Scope.ADDRESS, "203.0.113.7").allowed()).isTrue();
		assertThat(this.buckets.tryConsume(Budget.REDEEM, Scope.NETWORK, "203.0.113.0/24").allowed()).isTrue();

		// A second instance asks Redis (it has not seen the key spent) and is refused
		// too.
		RedisRateLimitBuckets other = newInstance();
		this.clock.advance(Duration.ofSeconds(55).plusMillis(999));
		assertThat(other.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7").allowed()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		Decision next = this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7");
		assertThat(next.allowed()).isTrue();
		assertThat(next.remaining()).isEqualTo(4);
		assertThat(next.nanosToReset()).isEqualTo(TimeUnit.MINUTES.toNanos(1));
	}

	@Test
	void aSpentBudgetIsRefusedWithoutAskingRedisUntilItsWindowEnds() {
		for (int i = 0; i < 6; i++) {
			this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "198.51.100.9");
		}
		// Were Redis asked, this instance would find no key and let the next attempt
		// through.
		String key = this.prefix + "redeem:198.51.100.9";
		assertThat(this.redis.sync().del(key)).isOne();
		this.clock.advance(Duration.ofSeconds(59));
		Decision refused = this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "198.51.100.9");
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.nanosToRefill()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
		assertThat(this.redis.sync().exists(key)).isZero();

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "198.51.100.9").allowed()).isTrue();
		assertThat(this.redis.sync().hget(key, "u")).isEqualTo("1");
	}

	@Test
	void instancesRacingForOneBudgetLetExactlyItsCapacityThrough() throws Exception {
		RedisRateLimitBuckets other = newInstance();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> answers = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				RedisRateLimitBuckets instance = (i % 2 == 0) ? this.buckets : other;
				answers.add(pool.submit(() -> {
					start.await();
					return instance.tryConsume(Budget.REDEEM, Scope.NETWORK, "192.0.2.0/24").allowed();
				}));
			}
			start.countDown();
			int allowed = 0;
			for (Future<Boolean> answer : answers) {
				allowed += answer.get(30, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(allowed).isEqualTo(50);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aWindowsKeyExpiresWhenTheWindowEnds() {
		this.buckets.tryConsume(Budget.STATUS, Scope.ADDRESS, "203.0.113.20");
		Long ttl = this.redis.sync().pttl(this.prefix + "status:203.0.113.20");
		assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1).toMillis());
	}

	@Test
	void aScriptTheNodesForgotIsSentAgain() {
		assertThat(this.buckets.tryConsume(Budget.STATUS, Scope.ADDRESS, "203.0.113.30").allowed()).isTrue();
		for (Node node : this.cluster.allNodes()) {
			this.cluster.call(node, "SCRIPT", "FLUSH");
		}
		Decision second = this.buckets.tryConsume(Budget.STATUS, Scope.ADDRESS, "203.0.113.30");
		assertThat(second.allowed()).isTrue();
		assertThat(second.remaining()).isEqualTo(58);
	}

}
