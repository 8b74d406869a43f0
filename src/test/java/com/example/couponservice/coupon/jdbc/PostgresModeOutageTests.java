package com.example.couponservice.coupon.jdbc;

import java.time.Duration;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.EmbeddedPostgresSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away under a running service and comes back: meanwhile every request
 * that needs it fails fast with a 503 problem document and the service reports itself not
 * ready; afterwards it serves again without a restart. The database is a dedicated
 * server, so stopping it does not disturb other test classes, and so this context is its
 * own and is closed afterwards.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.hikari.connection-timeout=500")
@ActiveProfiles("postgres")
@AutoConfigureRestTestClient
@DirtiesContext
class PostgresModeOutageTests {

	/**
	 * The connection timeout of this test (production's 2 s, shortened so that the eight
	 * requests of the outage cost the test less) plus 1.5 s for a busy build machine;
	 * without the fail-fast settings a request would hang far longer (pgjdbc waits 10 s
	 * to connect, Hikari 30 s for a connection).
	 */
	private static final Duration FAIL_FAST = Duration.ofMillis(2000);

	private static final Logger logger = LoggerFactory.getLogger(PostgresModeOutageTests.class);

	private static final EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.startDedicated();

	private static final String DATABASE = postgres.createDatabase();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		postgres.registerDataSource(registry, DATABASE);
	}

	@AfterAll
	static void closeDatabase() {
		postgres.close();
	}

	@Autowired
	private RestTestClient client;

	@Test
	void whileTheDatabaseIsDownRequestsFailFastWith503AndAfterwardsSucceedAgain() {
		String code = generate();
		String unused = generate();

		postgres.stop();
		try {
			// First on pooled connections the shutdown cut, then (after the health check
			// has found every pooled connection dead) on no connection at all.
			assertEveryCouponRequestFailsFastWith503(code, unused);
			this.client.get()
				.uri("/actuator/health")
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("DOWN")
				.jsonPath("$.components.db.status")
				.isEqualTo("DOWN");
			this.client.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
			// Liveness does not depend on the database: no restart loop while it is down.
			this.client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
			assertEveryCouponRequestFailsFastWith503(code, unused);
		}
		finally {
			postgres.start();
		}

		await("the service to reach the restarted database").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.client.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.returnResult()
				.getStatus()
				.is2xxSuccessful());
		// The redemption refused during the outage changed nothing: this one is the
		// first.
		redeem(code).expectStatus().isOk().expectBody().jsonPath("$.alreadyRedeemed").isEqualTo(false);
		this.client.get()
			.uri("/coupon-status?code={code}", unused)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UNUSED");
		generate();
	}

	private void assertEveryCouponRequestFailsFastWith503(String code, String unused) {
		assertFailsFastWith503("redeem", () -> redeem(code)).jsonPath("$.detail")
			.isEqualTo("the coupon database is unavailable; the change may or may not have been applied: retry "
					+ "with the same reference");
		assertFailsFastWith503("status", () -> this.client.get().uri("/coupon-status?code={code}", unused).exchange())
			.jsonPath("$.detail")
			.isEqualTo("the coupon database is unavailable; nothing was changed, retry");
		assertFailsFastWith503("generate",
				() -> this.client.post()
					.uri("/generate-coupon")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{}")
					.exchange());
		assertFailsFastWith503("bulk generate",
				() -> this.client.post()
					.uri("/generate-coupons")
					.contentType(MediaType.APPLICATION_JSON)
					.accept(MediaType.APPLICATION_JSON)
					.body("{\"count\":10}")
					.exchange());
	}

	private static RestTestClient.BodyContentSpec assertFailsFastWith503(String what,
			Supplier<RestTestClient.ResponseSpec> request) {
		long start = System.nanoTime();
		RestTestClient.ResponseSpec response = request.get();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		logger.info("{} answered after {} ms without a database", what, took.toMillis());
		assertThat(took).as(what).isLessThan(FAIL_FAST);
		return response.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/service-unavailable");
	}

	private RestTestClient.ResponseSpec redeem(String code) {
		return CouponRequests.redeem(this.client, code, "order-1");
	}

	private String generate() {
		return CouponRequests.generate(this.client, "{}");
	}

}
