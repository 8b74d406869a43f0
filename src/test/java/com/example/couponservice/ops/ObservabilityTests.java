package com.example.couponservice.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import com.example.couponservice.support.RateLimitedServiceTest;
import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.MutableClock;

import static com.example.couponservice.support.Scrapes.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives each endpoint and checks the exact series and increments on
 * /actuator/prometheus, and the masked log lines. Leaves a real scrape in
 * target/prometheus-scrape.txt for promtool in CI.
 */
@RateLimitedServiceTest
@ExtendWith(OutputCaptureExtension.class)
@ResourceLock(Resources.SYSTEM_OUT)
class ObservabilityTests {

	private static final String APP = "application=\"coupon-service\"";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	String scrape() throws Exception {
		MvcTestResult result = this.mvc.get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange();
		assertThat(result).hasStatus(HttpStatus.OK);
		return result.getResponse().getContentAsString();
	}

	MvcTestResult redeem(String client, String code) {
		return this.mvc.post().uri("/redeem-coupon").with((request) -> {
			request.setRemoteAddr(client);
			return request;
		}).contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"" + code + "\"}").exchange();
	}

	@Autowired
	LoggingSystem logging;

	/** DEBUG for the coupon package, so generation logs where each code came from. */
	@BeforeEach
	void debugCouponLogs() {
		this.logging.setLogLevel("com.example.couponservice.coupon", LogLevel.DEBUG);
	}

	@AfterEach
	void resetCouponLogs() {
		this.logging.setLogLevel("com.example.couponservice.coupon", null);
	}

	@Test
	void everyOutcomeMovesExactlyItsSeriesAndLogsTheCodeMasked(CapturedOutput output) throws Exception {
		String before = scrape();
		String code = CouponRequests.generate(this.mvc);
		redeem("203.0.113.50", code);
		redeem("203.0.113.50", code);
		for (int i = 0; i < 4; i++) {
			// The default budget is 5: the last of these is refused.
			redeem("203.0.113.50", "ZZZZZZZZ");
		}
		this.mvc.get().uri("/coupon-status").param("code", code).exchange();
		this.mvc.get().uri("/coupon-status").param("code", "bad").exchange();
		String after = scrape();

		Map<String, Double> expected = Map.of("coupon_redemptions_total{" + APP + ",outcome=\"redeemed\"}", 1.0,
				"coupon_redemptions_total{" + APP + ",outcome=\"already_redeemed\"}", 1.0,
				"coupon_redemptions_total{" + APP + ",outcome=\"not_found\"}", 3.0,
				"coupon_redemptions_total{" + APP + ",outcome=\"conflict\"}", 0.0,
				"coupon_rate_limited_total{" + APP + ",endpoint=\"redeem\",scope=\"address\"}", 1.0,
				"coupon_status_lookups_total{" + APP + ",result=\"used\"}", 1.0,
				"coupon_status_lookups_total{" + APP + ",result=\"invalid\"}", 1.0,
				"coupon_status_lookups_total{" + APP + ",result=\"not_found\"}", 0.0);
		expected.forEach((series, increment) -> assertThat(value(after, series) - value(before, series)).as(series)
			.isEqualTo(increment));
		double generated = value(after, "coupon_generated_total{" + APP + ",source=\"pool\"}")
				+ value(after, "coupon_generated_total{" + APP + ",source=\"on_demand\"}")
				- value(before, "coupon_generated_total{" + APP + ",source=\"pool\"}")
				- value(before, "coupon_generated_total{" + APP + ",source=\"on_demand\"}");
		assertThat(generated).isEqualTo(1);

		String masked = code.substring(0, 2) + "****" + code.substring(6);
		assertThat(output).contains("Redemption redeemed code=" + masked + " client=203.0.113.50")
			.contains("Redemption already_redeemed code=" + masked)
			.contains("Redemption not_found code=ZZ****ZZ")
			.contains("Rate limit triggered endpoint=redeem scope=address client=203.0.113.50")
			.containsPattern("Generated coupon " + Pattern.quote(masked) + " from (the pool|on-demand generation)")
			.doesNotContain(code);
	}

	@Test
	void theScrapeHasEveryContractSeriesAndIsKeptForPromtool() throws Exception {
		this.mvc.get().uri("/coupon-status").param("code", "ZZZZZZZZ").exchange();
		String scrape = scrape();
		assertThat(scrape).contains("coupon_generated_total{" + APP + ",source=\"pool\"}",
				"coupon_generated_total{" + APP + ",source=\"on_demand\"}",
				"coupon_generated_total{" + APP + ",source=\"bulk\"}", "coupon_pool_available{" + APP + "}",
				"coupon_pool_capacity{" + APP + "}", "coupon_generator_collisions_total{" + APP + "}",
				"coupon_pool_refill_failures_total{" + APP + "}",
				"coupon_redemptions_total{" + APP + ",outcome=\"invalid\"}",
				"coupon_status_lookups_total{" + APP + ",result=\"expired\"}",
				"coupon_rate_limited_total{" + APP + ",endpoint=\"status\",scope=\"network\"}",
				"coupon_ratelimit_tracked_clients{" + APP + "}", "coupon_stored{" + APP + ",status=\"unused\"}",
				"coupon_stored{" + APP + ",status=\"expired\"}", "coupon_generation_rejected_total{" + APP,
				"coupon_voided_total{" + APP + "}", "jvm_memory_used_bytes{" + APP, "process_cpu_usage{" + APP,
				"tomcat_sessions_active_current_sessions{" + APP);
		// Latency histogram with the SLO buckets, per endpoint.
		for (String le : new String[] { "0.005", "0.01", "0.025", "0.05", "0.1" }) {
			assertThat(scrape).contains("http_server_requests_seconds_bucket{" + APP
					+ ",error=\"none\",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
					+ "uri=\"/coupon-status\",le=\"" + le + "\"} ");
		}
		assertThat(scrape).doesNotContainPattern("code=\"[A-Z2-9]{8}\"");
		Path file = Path.of("target", "prometheus-scrape.txt");
		Files.createDirectories(file.getParent());
		Files.writeString(file, scrape);
	}

	@Test
	void storedCouponsAreCountedByStatus() throws Exception {
		double unusedBefore = value(scrape(), "coupon_stored{" + APP + ",status=\"unused\"}");
		this.mvc.post()
			.uri("/generate-coupons")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"count\":25}")
			.exchange();
		// The counts are cached for 10 s of the clock.
		this.clock.advance(java.time.Duration.ofSeconds(11));
		assertThat(value(scrape(), "coupon_stored{" + APP + ",status=\"unused\"}") - unusedBefore).isEqualTo(25);
	}

	@Test
	void healthShowsThePoolAndProbes() {
		MvcTestResult health = this.mvc.get().uri("/actuator/health").exchange();
		assertThat(health).hasStatus(HttpStatus.OK);
		assertThat(health).bodyJson().extractingPath("$.components.codePool.status").isEqualTo("UP");
		assertThat(health).bodyJson().extractingPath("$.components.codePool.details.capacity").isEqualTo(10000);
		assertThat(this.mvc.get().uri("/actuator/health/readiness")).hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/actuator/health/liveness")).hasStatus(HttpStatus.OK);
	}

	@Test
	void infoShowsBuildDetails() {
		MvcTestResult info = this.mvc.get().uri("/actuator/info").exchange();
		assertThat(info).bodyJson().extractingPath("$.build.artifact").isEqualTo("coupon-service");
	}

}
