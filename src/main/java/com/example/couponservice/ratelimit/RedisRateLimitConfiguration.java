package com.example.couponservice.ratelimit;

import java.time.Clock;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * In the {@code redis} profile, rate-limit buckets live in the same Redis Cluster as the
 * coupons, so every instance spends the same budget. Keys go under the store's
 * {@code coupon.redis.key-prefix} (read by name: this package does not use the store's),
 * then {@code ratelimit:}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("redis")
class RedisRateLimitConfiguration {

	@Bean(destroyMethod = "close")
	RedisRateLimitBuckets redisRateLimitBuckets(LettuceConnectionFactory factory, RateLimitProperties properties,
			Clock clock, @Value("${coupon.redis.key-prefix:coupon:}") String keyPrefix) {
		return new RedisRateLimitBuckets(connect(factory), keyPrefix + "ratelimit:", properties, clock);
	}

	@Bean
	BucketConnection redisRateLimitBucketConnection(LettuceConnectionFactory factory, RedisRateLimitBuckets buckets) {
		return new BucketConnection(factory, buckets);
	}

	private static StatefulRedisClusterConnection<String, String> connect(LettuceConnectionFactory factory) {
		AbstractRedisClient client = factory.getRequiredNativeClient();
		if (!(client instanceof RedisClusterClient cluster)) {
			throw new IllegalStateException("the redis profile needs a Redis Cluster: set REDIS_NODES");
		}
		return cluster.connect(StringCodec.UTF8);
	}

	/**
	 * The buckets' connection follows the connection factory, whose client is replaced
	 * when it stops and starts again (a paused test context, a lifecycle stop): closed
	 * just before the factory stops, opened on the new client just after it starts.
	 */
	static class BucketConnection implements SmartLifecycle {

		private final LettuceConnectionFactory factory;

		private final RedisRateLimitBuckets buckets;

		private volatile boolean running = true;

		BucketConnection(LettuceConnectionFactory factory, RedisRateLimitBuckets buckets) {
			this.factory = factory;
			this.buckets = buckets;
		}

		@Override
		public synchronized void start() {
			if (!this.running) {
				this.buckets.reconnect(connect(this.factory));
				this.running = true;
			}
		}

		@Override
		public synchronized void stop() {
			if (this.running) {
				this.buckets.close();
				this.running = false;
			}
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return 1;
		}

	}

}
