package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * In the {@code postgres} profile, rate-limit buckets live in the database, so every
 * instance behind a load balancer spends the same budget; expired rows are deleted every
 * {@code coupon.rate-limit.cleanup-interval}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("postgres")
@EnableScheduling
class PostgresRateLimitConfiguration {

	@Bean
	PostgresRateLimitBuckets postgresRateLimitBuckets(DataSource dataSource, RateLimitProperties properties,
			Clock clock) {
		return new PostgresRateLimitBuckets(dataSource, properties, clock);
	}

	@Bean
	BucketCleaner bucketCleaner(PostgresRateLimitBuckets buckets, RateLimitProperties properties,
			MeterRegistry registry) {
		return new BucketCleaner(buckets, properties, registry);
	}

	/** The periodic delete of ended rate-limit windows. */
	static class BucketCleaner implements SchedulingConfigurer {

		private final PostgresRateLimitBuckets buckets;

		private final RateLimitProperties properties;

		private final Counter removed;

		BucketCleaner(PostgresRateLimitBuckets buckets, RateLimitProperties properties, MeterRegistry registry) {
			this.buckets = buckets;
			this.properties = properties;
			this.removed = Counter.builder("coupon.ratelimit.buckets.removed")
				.description("Ended rate-limit windows deleted from the database")
				.register(registry);
		}

		@Override
		public void configureTasks(ScheduledTaskRegistrar registrar) {
			Duration interval = this.properties.cleanupInterval();
			registrar.addFixedDelayTask(new FixedDelayTask(this::removeExpired, interval, interval));
		}

		void removeExpired() {
			this.removed.increment(this.buckets.removeExpired());
		}

	}

}
