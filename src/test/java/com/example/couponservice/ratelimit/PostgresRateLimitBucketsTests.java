package com.example.couponservice.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;
import com.example.couponservice.ratelimit.RateLimitBuckets.Decision;
import com.example.couponservice.support.EmbeddedPostgresJdbcTest;
import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared buckets of PostgreSQL mode on a real database (a JDBC slice): fixed windows
 * counted by one statement, shared by instances, a spent budget refused without a round
 * trip, and ended windows deleted.
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

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));

	private PostgresRateLimitBuckets buckets;

	@BeforeEach
	void emptyTable() {
		this.jdbc.sql("TRUNCATE " + PostgresRateLimitBuckets.TABLE).update();
		this.buckets = new PostgresRateLimitBuckets(this.dataSource, DEFAULTS, this.clock);
	}

	@Test
	void aWindowLetsCapacityAttemptsThroughThenRefusesUntilItEnds() {
		for (int i = 1; i <= 5; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			Decision allowed = this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7");
			assertThat(allowed.allowed()).isTrue();
			assertThat(allowed.remaining()).isEqualTo(5 - i);
			assertThat(allowed.limit()).isEqualTo(5);
		}
		Decision refused = this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7");
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.firstRejection()).isTrue();
		assertThat(refused.remaining()).isZero();
		// The window opened with the first attempt, 5 s ago.
		assertThat(refused.nanosToRefill()).isEqualTo(TimeUnit.SECONDS.toNanos(56));
		assertThat(this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7").firstRejection()).isFalse();
		// Other keys, budgets and scopes have windows of their own.
		assertThat(this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.8").allowed()).isTrue();
		assertThat(this.buckets.tryConsume(Budget.STATUS, Scope.ADDRESS, "203.0.113.7").allowed()).isTrue();
		assertThat(this.buckets.tryConsume(Budget.REDEEM, Scope.NETWORK, "203.0.113.0/24").allowed()).isTrue();

		this.clock.advance(Duration.ofSeconds(55).plusMillis(999));
		assertThat(this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7").allowed()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		Decision next = this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7");
		assertThat(next.allowed()).isTrue();
		assertThat(next.remaining()).isEqualTo(4);
		assertThat(next.nanosToReset()).isEqualTo(TimeUnit.MINUTES.toNanos(1));
	}

	@Test
	void aSpentBudgetIsRefusedWithoutAskingTheDatabaseUntilItsWindowEnds() {
		for (int i = 0; i < 6; i++) {
			this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "198.51.100.9");
		}
		// Were the database asked, this instance would find an empty table and let the
		// next attempt through.
		this.jdbc.sql("TRUNCATE " + PostgresRateLimitBuckets.TABLE).update();
		this.clock.advance(Duration.ofSeconds(59));
		Decision refused = this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "198.51.100.9");
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.nanosToRefill()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
		assertThat(count()).isZero();

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "198.51.100.9").allowed()).isTrue();
		assertThat(count()).isOne();
	}

	@Test
	void instancesRacingForOneBudgetLetExactlyItsCapacityThrough() throws Exception {
		PostgresRateLimitBuckets other = new PostgresRateLimitBuckets(this.dataSource, DEFAULTS, this.clock);
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> answers = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				PostgresRateLimitBuckets instance = (i % 2 == 0) ? this.buckets : other;
				answers.add(pool.submit(() -> {
					start.await();
					return instance.tryConsume(Budget.REDEEM, Scope.NETWORK, "192.0.2.0/24").allowed();
				}));
			}
			start.countDown();
			int allowed = 0;
			for (Future<Boolean> answer : answers) {
				allowed += answer.get(30, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(allowed).isEqualTo(50);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void endedWindowsAreDeletedAndLiveOnesKept() {
		int idle = 1_200;
		for (int i = 0; i < idle; i++) {
			this.buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "idle-" + i);
		}
		this.clock.advance(Duration.ofSeconds(30));
		for (int i = 0; i < 10; i++) {
			this.buckets.tryConsume(Budget.STATUS, Scope.ADDRESS, "active-" + i);
		}
		assertThat(count()).isEqualTo(idle + 10);
		assertThat(this.buckets.removeExpired()).isZero();

		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.buckets.removeExpired()).isEqualTo(idle);

		assertThat(this.buckets.trackedClients()).isEqualTo(10);
		assertThat(this.jdbc.sql("SELECT id FROM rate_limit_window").query(String.class).list()).hasSize(10)
			.allMatch((id) -> id.startsWith("status:active-"));
	}

	@Test
	void anAddressAndItsNetworkAreSpentTogetherAndARefusedAddressLeavesTheNetworkAlone() {
		for (int i = 0; i < 5; i++) {
			List<Decision> both = spend("203.0.113.7");
			assertThat(both).extracting(Decision::allowed).containsExactly(true, true);
			assertThat(both).extracting(Decision::remaining).containsExactly(4L - i, 49L - i);
		}
		List<Decision> refused = spend("203.0.113.7");
		assertThat(refused).singleElement().satisfies((decision) -> {
			assertThat(decision.allowed()).isFalse();
			assertThat(decision.firstRejection()).isTrue();
		});
		assertThat(used("redeem/network:203.0.113.0/24")).isEqualTo(5);
		assertThat(spend("203.0.113.8")).extracting(Decision::allowed).containsExactly(true, true);
		assertThat(used("redeem/network:203.0.113.0/24")).isEqualTo(6);
	}

	@Test
	void aNetworkSeenSpentStillCountsTheAddressButAsksTheDatabaseOnlyForIt() {
		for (int i = 1; i <= 50; i++) {
			assertThat(spend("198.51.100." + i)).extracting(Decision::allowed).containsExactly(true, true);
		}
		List<Decision> first = spend("198.51.100.51");
		assertThat(first).extracting(Decision::allowed).containsExactly(true, false);
		assertThat(first.get(1).firstRejection()).isTrue();
		this.jdbc.sql("DELETE FROM rate_limit_window WHERE id LIKE 'redeem/network:%'").update();

		List<Decision> next = spend("198.51.100.52");
		assertThat(next).extracting(Decision::allowed).containsExactly(true, false);
		assertThat(next.get(1).firstRejection()).isFalse();
		assertThat(used("redeem:198.51.100.52")).isEqualTo(1);
		assertThat(count("redeem/network:%")).isZero();
	}

	private List<Decision> spend(String address) {
		ClientKeys.Keys keys = new ClientKeys.Keys(address, address.substring(0, address.lastIndexOf('.')) + ".0/24");
		return this.buckets.tryConsume(Budget.REDEEM, List.of(Scope.ADDRESS, Scope.NETWORK), keys::of);
	}

	private long used(String id) {
		return this.jdbc.sql("SELECT used FROM rate_limit_window WHERE id = ?").param(id).query(Long.class).single();
	}

	private long count(String pattern) {
		return this.jdbc.sql("SELECT count(*) FROM rate_limit_window WHERE id LIKE ?")
			.param(pattern)
			.query(Long.class)
			.single();
	}

	private long count() {
		return this.jdbc.sql("SELECT count(*) FROM rate_limit_window").query(Long.class).single();
	}

}
