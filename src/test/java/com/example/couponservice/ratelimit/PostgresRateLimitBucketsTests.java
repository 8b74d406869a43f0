package com.example.couponservice.ratelimit;

import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;
import com.example.couponservice.support.EmbeddedPostgresJdbcTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared buckets of PostgreSQL mode on a real database (a JDBC slice): the contract,
 * with both windows of a request in one statement, and ended windows deleted.
 */
@EmbeddedPostgresJdbcTest
class PostgresRateLimitBucketsTests extends SharedRateLimitBucketsContractTests<PostgresRateLimitBuckets> {

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcClient jdbc;

	@BeforeEach
	void emptyTable() {
		this.jdbc.sql("TRUNCATE " + PostgresRateLimitBuckets.TABLE).update();
	}

	@Override
	PostgresRateLimitBuckets newInstance() {
		return new PostgresRateLimitBuckets(this.dataSource, DEFAULTS, this.clock);
	}

	@Override
	long used(String id) {
		return this.jdbc.sql("SELECT coalesce(max(used), 0) FROM rate_limit_window WHERE id = ?")
			.param(id)
			.query(Long.class)
			.single();
	}

	@Override
	void forget(String id) {
		assertThat(this.jdbc.sql("DELETE FROM rate_limit_window WHERE id = ?").param(id).update()).isOne();
	}

	@Test
	void endedWindowsAreDeletedAndLiveOnesKept() {
		int idle = 1_200;
		for (int i = 0; i < idle; i++) {
			buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "idle-" + i);
		}
		this.clock.advance(Duration.ofSeconds(30));
		for (int i = 0; i < 10; i++) {
			buckets().tryConsume(Budget.STATUS, Scope.ADDRESS, "active-" + i);
		}
		assertThat(count()).isEqualTo(idle + 10);
		assertThat(buckets().removeExpired()).isZero();

		this.clock.advance(Duration.ofSeconds(30));
		assertThat(buckets().removeExpired()).isEqualTo(idle);

		assertThat(buckets().trackedClients()).isEqualTo(10);
		assertThat(this.jdbc.sql("SELECT id FROM rate_limit_window").query(String.class).list()).hasSize(10)
			.allMatch((id) -> id.startsWith("status:active-"));
	}

	private long count() {
		return this.jdbc.sql("SELECT count(*) FROM rate_limit_window").query(Long.class).single();
	}

}
