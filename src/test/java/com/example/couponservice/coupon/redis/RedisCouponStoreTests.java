package com.example.couponservice.coupon.redis;

import java.time.Duration;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.example.couponservice.coupon.CouponStore;
import com.example.couponservice.coupon.CouponStoreContractTests;
import com.example.couponservice.support.LettuceClusterClients;
import com.example.couponservice.support.RedisClusterSupport;

/**
 * The Redis store against the store contract, on the shared Redis Cluster (three masters
 * with a replica each, every change confirmed by one replica). Each test gets an empty
 * store: a key prefix of its own.
 */
class RedisCouponStoreTests extends CouponStoreContractTests {

	private static final RedisClusterSupport cluster = RedisClusterSupport.shared();

	private static RedisClusterClient client;

	private static StatefulRedisClusterConnection<String, String> connection;

	@BeforeAll
	static void connect() {
		client = LettuceClusterClients.create(cluster.nodes());
		connection = client.connect(StringCodec.UTF8);
	}

	@AfterAll
	static void disconnect() {
		connection.close();
		client.shutdown();
	}

	@Override
	protected CouponStore createStore() {
		return new RedisCouponStore(client, connection, properties(cluster.newKeyPrefix() + "coupon:"), MAX_EVENTS);
	}

	static RedisCouponProperties properties(String keyPrefix) {
		return new RedisCouponProperties(1, Duration.ofSeconds(2), keyPrefix, Duration.ofMinutes(1), 2);
	}

}
