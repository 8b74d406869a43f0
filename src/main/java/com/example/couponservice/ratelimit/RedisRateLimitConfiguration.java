package com.example.couponservice.ratelimit;

import java.time.Clock;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import org.springframework.beans.factory.annotation.Value;
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
		AbstractRedisClient client = factory.getRequiredNativeClient();
		if (!(client instanceof RedisClusterClient cluster)) {
			throw new IllegalStateException("the redis profile needs a Redis Cluster: set REDIS_NODES");
		}
		return new RedisRateLimitBuckets(cluster.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)),
				keyPrefix + "ratelimit:", properties, clock);
	}

}
