package com.example.couponservice.coupon.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import com.example.couponservice.coupon.CouponProperties;

/**
 * The Redis Cluster store replaces the in-memory one under the {@code redis} profile. The
 * Lettuce cluster client (seeds, password, TLS, topology refresh) is Boot's, configured
 * by application-redis.properties; the store talks to it through a connection of its own.
 */
@Configuration(proxyBeanMethods = false)
@Profile("redis")
class RedisCouponStoreConfiguration {

	/**
	 * A command sent while its node's connection is down fails at once (503) instead of
	 * waiting for a reconnect that a dead master never grants: a failover takes seconds,
	 * and the topology refresh that follows it routes the next request to the successor.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean(destroyMethod = "close")
	StatefulRedisClusterConnection<String, String> couponRedisConnection(LettuceConnectionFactory factory) {
		return clusterClient(factory).connect(StringCodec.UTF8);
	}

	@Bean
	RedisCouponStore redisCouponStore(LettuceConnectionFactory factory,
			StatefulRedisClusterConnection<String, String> couponRedisConnection, RedisCouponProperties properties,
			CouponProperties couponProperties) {
		return new RedisCouponStore(clusterClient(factory), couponRedisConnection, properties,
				couponProperties.events().maxPerCoupon());
	}

	private static RedisClusterClient clusterClient(LettuceConnectionFactory factory) {
		AbstractRedisClient client = factory.getRequiredNativeClient();
		if (!(client instanceof RedisClusterClient cluster)) {
			throw new IllegalStateException("the redis profile needs a Redis Cluster: set REDIS_NODES "
					+ "(spring.data.redis.cluster.nodes) to seed nodes; a single cluster-enabled node works too");
		}
		return cluster;
	}

}
