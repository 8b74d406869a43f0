package com.example.couponservice.ratelimit;

import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;
import com.example.couponservice.support.EmbeddedPostgresJdbcTest;
import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared buckets of PostgreSQL mode on a real database (a JDBC slice): expired rows
 * are deleted, live ones kept.
 */
@EmbeddedPostgresJdbcTest
class PostgresRateLimitBucketsTests {

	private static final RateLimitProperties DEFAULTS = new RateLimitProperties(
			new RateLimitProperties.Redeem(5, 50, Duration.ofMinutes(1)),
			new RateLimitProperties.Status(60, 600, Duration.ofMinutes(1)),
			new RateLimitProperties.Generate(0, Duration.ofMinutes(1)), 64, 24, 48, 100_000, Duration.ofMinutes(2),
			Duration.ofMinutes(1));

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcClient jdbc;

	private final MutableClock clock = new MutableClock(Instant.now());

	private PostgresRateLimitBuckets buckets;

	@BeforeEach
	void emptyTable() {
		this.jdbc.sql("TRUNCATE " + PostgresRateLimitBuckets.TABLE).update();
		this.buckets = new PostgresRateLimitBuckets(this.dataSource, DEFAULTS, this.clock);
	}

	@Test
	void expiredBucketRowsAreDeletedAndLiveOnesKept() {
		int idle = 1_200;
		for (int i = 0; i < idle; i++) {
			this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "idle-" + i);
		}
		for (int i = 0; i < 10; i++) {
			this.buckets.tryConsume(Budget.STATUS, Scope.ADDRESS, "active-" + i);
		}
		assertThat(count()).isEqualTo(idle + 10);
		// Bucket4j stamps expires_at by the wall clock (now plus the time its bucket
		// needs to be full again) and deletes by the wall clock: let the idle rows'
		// time pass instead of waiting a window.
		this.jdbc.sql("UPDATE rate_limit_bucket SET expires_at = expires_at - :window WHERE id LIKE 'redeem:%'")
			.param("window", Duration.ofMinutes(2).toMillis())
			.update();

		assertThat(this.buckets.removeExpired()).isEqualTo(idle);

		assertThat(this.buckets.trackedClients()).isEqualTo(10);
		assertThat(this.jdbc.sql("SELECT id FROM rate_limit_bucket").query(String.class).list()).hasSize(10)
			.allMatch((id) -> id.startsWith("status:active-"));
	}

	@Test
	void rowsNeverFilledAreDeletedOnceOlderThanTheLongestWindow() {
		this.jdbc
			.sql("INSERT INTO rate_limit_bucket (id, state, created_at) VALUES "
					+ "('redeem:cut-off', NULL, now() - interval '2 minutes'), ('redeem:in-flight', NULL, now())")
			.update();
		this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "live");

		assertThat(this.buckets.removeExpired()).isEqualTo(1);

		assertThat(this.jdbc.sql("SELECT id FROM rate_limit_bucket ORDER BY id").query(String.class).list())
			.containsExactly("redeem:in-flight", "redeem:live");
	}

	private long count() {
		return this.jdbc.sql("SELECT count(*) FROM rate_limit_bucket").query(Long.class).single();
	}

}
