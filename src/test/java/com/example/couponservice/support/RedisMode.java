package com.example.couponservice.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a Spring Boot test in the {@code redis} profile against the
 * {@link RedisClusterSupport#shared() shared Redis Cluster}, with a key prefix of its own
 * per distinct context, so contexts (and test classes running beside them) never see each
 * other's coupons or buckets. Add it to a subclass of a test to run the same contract on
 * Redis.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ActiveProfiles("redis")
@ContextConfiguration(initializers = RedisMode.FreshKeyPrefix.class)
public @interface RedisMode {

	/**
	 * Points a test context at the shared cluster, under a key prefix not used before.
	 */
	final class FreshKeyPrefix implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			RedisClusterSupport cluster = RedisClusterSupport.shared();
			TestPropertyValues
				.of("spring.data.redis.cluster.nodes=" + cluster.nodes(),
						"coupon.redis.key-prefix=" + cluster.newKeyPrefix() + "coupon:")
				.applyTo(context);
		}

	}

}
