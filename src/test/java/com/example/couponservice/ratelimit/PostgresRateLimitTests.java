package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;
import com.example.couponservice.support.EmbeddedPostgresSupport;
import com.example.couponservice.support.RawHttp;
import com.example.couponservice.support.RawHttp.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances behind one load balancer, sharing one PostgreSQL database: one redemption
 * per code across both, and one budget per client across both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRateLimitTests {

	private final EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.shared();

	private final String database = this.postgres.createDatabase();

	private ConfigurableApplicationContext first;

	private ConfigurableApplicationContext second;

	@BeforeAll
	void startTwoInstances() {
		this.first = startInstance();
		this.second = startInstance();
	}

	@AfterAll
	void stopInstances() {
		this.first.close();
		this.second.close();
	}

	private ConfigurableApplicationContext startInstance() {
		return this.postgres.startService(this.database, "--spring.datasource.hikari.maximum-pool-size=20");
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	private static Response redeem(String client, ConfigurableApplicationContext instance, String code)
			throws Exception {
		return RawHttp.postJson(client, port(instance), "/redeem-coupon", "{\"code\":\"" + code + "\"}");
	}

	@Test
	void sixtyFourRedemptionsSpreadOverBothInstancesHaveOneWinner() throws Exception {
		Response generated = RawHttp.postJson("127.0.0.1", port(this.first), "/generate-coupon", "{}");
		String code = generated.header("Location").substring("/coupon-status?code=".length());
		ExecutorService pool = Executors.newFixedThreadPool(64);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Response>> answers = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				String client = "127.0.1." + (i + 1);
				ConfigurableApplicationContext instance = (i % 2 == 0) ? this.first : this.second;
				answers.add(pool.submit(() -> {
					start.await();
					return redeem(client, instance, code);
				}));
			}
			start.countDown();
			int first = 0;
			int repeats = 0;
			for (Future<Response> answer : answers) {
				Response response = answer.get();
				assertThat(response.status()).isEqualTo(200);
				if (response.body().contains("\"alreadyRedeemed\":false")) {
					first++;
				}
				else if (response.body().contains("\"alreadyRedeemed\":true")) {
					repeats++;
				}
			}
			assertThat(first).isEqualTo(1);
			assertThat(repeats).isEqualTo(63);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aBudgetSpentOnOneInstanceIsSpentOnTheOther() throws Exception {
		String client = "127.0.2.1";
		for (int i = 0; i < 3; i++) {
			assertThat(redeem(client, this.first, "ZZZZZZZZ").status()).isEqualTo(404);
		}
		assertThat(redeem(client, this.second, "ZZZZZZZZ").header("X-RateLimit-Remaining")).isEqualTo("1");
		assertThat(redeem(client, this.second, "ZZZZZZZZ").status()).isEqualTo(404);
		assertThat(redeem(client, this.first, "ZZZZZZZZ").status()).isEqualTo(429);
		Response limited = redeem(client, this.second, "ZZZZZZZZ");
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
		// Another client is unaffected on either instance.
		assertThat(redeem("127.0.2.2", this.second, "ZZZZZZZZ").status()).isEqualTo(404);
	}

	@Test
	void expiredBucketRowsAreDeleted() {
		String cleanupDatabase = this.postgres.createDatabase();
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(this.postgres.jdbcUrl(cleanupDatabase));
			dataSource.setUsername(EmbeddedPostgresSupport.USER);
			Flyway.configure().dataSource(dataSource).load().migrate();
			// Bucket4j dates rows by the wall clock, so this test uses a 1 s redeem
			// window:
			// those rows expire a second after their last use, the status rows (1 min) do
			// not.
			RateLimitProperties properties = new RateLimitProperties(
					new RateLimitProperties.Redeem(5, Duration.ofSeconds(1)),
					new RateLimitProperties.Status(60, Duration.ofMinutes(1)),
					new RateLimitProperties.Generate(0, Duration.ofMinutes(1)), 64, 1000, Duration.ofMinutes(2),
					Duration.ofMinutes(1));
			PostgresRateLimitBuckets buckets = new PostgresRateLimitBuckets(dataSource, properties, Clock.systemUTC());
			int idle = 5_000;
			for (int i = 0; i < idle; i++) {
				buckets.tryConsume(Budget.REDEEM, "idle-" + i);
			}
			for (int i = 0; i < 10; i++) {
				buckets.tryConsume(Budget.STATUS, "active-" + i);
			}
			JdbcClient jdbc = JdbcClient.create(dataSource);
			assertThat(jdbc.sql("SELECT count(*) FROM rate_limit_bucket").query(Long.class).single())
				.isEqualTo(idle + 10);
			// Wait (on the wall clock Bucket4j uses) until every idle row has expired.
			long lastExpiry = jdbc.sql("SELECT max(expires_at) FROM rate_limit_bucket WHERE id LIKE 'redeem:%'")
				.query(Long.class)
				.single();
			assertThat(lastExpiry - System.currentTimeMillis()).isLessThan(Duration.ofSeconds(5).toMillis());
			while (System.currentTimeMillis() <= lastExpiry) {
				Thread.onSpinWait();
			}
			long started = System.nanoTime();
			int removed = buckets.removeExpired();
			System.out.printf("removeExpired deleted %d bucket rows in %d ms%n", removed,
					(System.nanoTime() - started) / 1_000_000);
			assertThat(removed).isEqualTo(idle);
			assertThat(buckets.trackedClients()).isEqualTo(10);
			assertThat(jdbc.sql("SELECT id FROM rate_limit_bucket ORDER BY id").query(String.class).list()).hasSize(10)
				.allMatch((id) -> id.startsWith("status:active-"));
		}
	}

}
