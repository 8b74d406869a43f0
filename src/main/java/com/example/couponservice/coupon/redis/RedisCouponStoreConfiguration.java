package com.example.couponservice.coupon.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
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

	@Bean
	RedisCouponStore redisCouponStore(LettuceConnectionFactory factory, RedisCouponProperties properties,
			CouponProperties couponProperties) {
		RedisClusterClient client = clusterClient(factory);
		return new RedisCouponStore(client, client.connect(StringCodec.UTF8), properties,
				couponProperties.events().maxPerCoupon());
	}

	@Bean
	StoreConnection redisCouponStoreConnection(LettuceConnectionFactory factory, RedisCouponStore store) {
		return new StoreConnection(factory, store);
	}

	/**
	 * The store's connection follows the connection factory: stopping the factory (a
	 * paused test context, a lifecycle stop) shuts its client down, and starting it again
	 * makes a new client, so the store closes its connection just before the factory
	 * stops and opens one on the new client just after it starts (phase 1, the factory's
	 * is 0).
	 */
	static class StoreConnection implements SmartLifecycle, DisposableBean {

		private final LettuceConnectionFactory factory;

		private final RedisCouponStore store;

		private volatile boolean running = true;

		StoreConnection(LettuceConnectionFactory factory, RedisCouponStore store) {
			this.factory = factory;
			this.store = store;
		}

		@Override
		public synchronized void start() {
			if (!this.running) {
				RedisClusterClient client = clusterClient(this.factory);
				this.store.reconnect(client, client.connect(StringCodec.UTF8));
				this.running = true;
			}
		}

		@Override
		public synchronized void stop() {
			if (this.running) {
				this.store.close();
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

		@Override
		public void destroy() {
			stop();
		}

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
