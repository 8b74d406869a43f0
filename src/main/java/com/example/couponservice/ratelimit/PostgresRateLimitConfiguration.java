package com.example.couponservice.ratelimit;

import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * In the {@code postgres} profile, rate-limit buckets live in the database, so every
 * instance behind a load balancer spends the same budget; expired rows are deleted every
 * {@code coupon.rate-limit.cleanup-interval} (default 1 minute).
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
	BucketCleaner bucketCleaner(PostgresRateLimitBuckets buckets, MeterRegistry registry) {
		return new BucketCleaner(buckets, registry);
	}

	/** The scheduled delete of expired bucket rows. */
	static class BucketCleaner {

		private final PostgresRateLimitBuckets buckets;

		private final Counter removed;

		BucketCleaner(PostgresRateLimitBuckets buckets, MeterRegistry registry) {
			this.buckets = buckets;
			this.removed = Counter.builder("coupon.ratelimit.buckets.removed")
				.description("Expired rate-limit bucket rows deleted from the database")
				.register(registry);
		}

		@Scheduled(fixedDelayString = "${coupon.rate-limit.cleanup-interval:1m}",
				initialDelayString = "${coupon.rate-limit.cleanup-interval:1m}")
		void removeExpired() {
			this.removed.increment(this.buckets.removeExpired());
		}

	}

}
