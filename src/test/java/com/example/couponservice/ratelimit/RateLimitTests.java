package com.example.couponservice.ratelimit;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import com.example.couponservice.support.RateLimitedServiceTest;
import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.Scrapes;
import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-client budgets with their default settings. Each test uses its own client
 * addresses, since the buckets live as long as the shared application context.
 */
@RateLimitedServiceTest
@ExtendWith(OutputCaptureExtension.class)
@ResourceLock(Resources.SYSTEM_OUT)
class RateLimitTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	String generate() {
		return CouponRequests.generate(this.mvc);
	}

	MvcTestResult redeem(String client, String code) {
		return this.mvc.post().uri("/redeem-coupon").with((request) -> {
			request.setRemoteAddr(client);
			return request;
		}).contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"" + code + "\"}").exchange();
	}

	MvcTestResult status(String client, String code) {
		return this.mvc.get().uri("/coupon-status").param("code", code).with((request) -> {
			request.setRemoteAddr(client);
			return request;
		}).exchange();
	}

	double rateLimited(String endpoint) throws Exception {
		String scrape = this.mvc.get().uri("/actuator/prometheus").exchange().getResponse().getContentAsString();
		return Scrapes.value(scrape, "coupon_rate_limited_total{application=\"coupon-service\",endpoint=\"" + endpoint
				+ "\",scope=\"address\"}");
	}

	@Test
	void everyRedeemAttemptCountsWhateverItsOutcomeAndTheSixthIs429(CapturedOutput output) throws Exception {
		String client = "198.51.100.1";
		String code = generate();
		double before = rateLimited("redeem");
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.NOT_FOUND)
			.headers()
			.hasValue("X-RateLimit-Limit", "5")
			.hasValue("X-RateLimit-Remaining", "4")
			.hasValue("X-RateLimit-Reset", "60");
		assertThat(redeem(client, "bad")).hasStatus(HttpStatus.BAD_REQUEST)
			.headers()
			.hasValue("X-RateLimit-Remaining", "3");
		assertThat(this.mvc.post().uri("/redeem-coupon").with((request) -> {
			request.setRemoteAddr(client);
			return request;
		}).contentType(MediaType.TEXT_PLAIN).content("x")).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.NOT_FOUND);
		this.clock.advance(Duration.ofSeconds(20));
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.NOT_FOUND)
			.headers()
			.hasValue("X-RateLimit-Remaining", "0")
			.hasValue("X-RateLimit-Reset", "40");

		MvcTestResult limited = redeem(client, code);
		assertThat(limited).hasStatus(HttpStatus.TOO_MANY_REQUESTS)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.headers()
			.hasValue("Retry-After", "40")
			.hasValue("X-RateLimit-Remaining", "0");
		assertThat(limited).bodyJson().extractingPath("$.type").isEqualTo("/problems/rate-limited");
		// The refused request never reached the service: the coupon is untouched.
		assertThat(status("192.0.2.99", code)).bodyJson().extractingPath("$.status").isEqualTo("UNUSED");
		assertThat(rateLimited("redeem")).isEqualTo(before + 1);
		assertThat(output).contains("Rate limit triggered endpoint=redeem scope=address client=198.51.100.1");

		// Another client has its own budget.
		assertThat(redeem("198.51.100.2", code)).hasStatus(HttpStatus.OK);
	}

	@Test
	void validationSpendsTheRedemptionBudgetWithTheSameHeaders() {
		String client = "198.51.100.7";
		for (int i = 0; i < 3; i++) {
			MvcTestResult validation = validate(client, "ZZZZZZZZ");
			assertThat(validation).hasStatus(HttpStatus.OK).headers().hasValue("X-RateLimit-Limit", "5");
			assertThat(validation).headers().hasValue("X-RateLimit-Remaining", String.valueOf(4 - i));
		}
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(validate(client, "ZZZZZZZZ")).hasStatus(HttpStatus.TOO_MANY_REQUESTS)
			.headers()
			.containsHeader("Retry-After");
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
	}

	MvcTestResult validate(String client, String code) {
		return this.mvc.post().uri("/validate-coupon").with((request) -> {
			request.setRemoteAddr(client);
			return request;
		}).contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"" + code + "\"}").exchange();
	}

	@Test
	void theBudgetReturnsWholeAfterTheWindow() {
		String client = "198.51.100.3";
		for (int i = 0; i < 5; i++) {
			assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.NOT_FOUND);
		}
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.TOO_MANY_REQUESTS)
			.headers()
			.hasValue("Retry-After", "1");
		this.clock.advance(Duration.ofSeconds(1));
		for (int i = 0; i < 5; i++) {
			assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.NOT_FOUND);
		}
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
	}

	MvcTestResult statusByPost(String client, String code) {
		return this.mvc.post().uri("/coupon-status").with((request) -> {
			request.setRemoteAddr(client);
			return request;
		}).contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"" + code + "\"}").exchange();
	}

	@Test
	void statusHasItsOwnBudgetOfSixtySharedByGetAndPost() {
		String client = "198.51.100.4";
		for (int i = 0; i < 60; i++) {
			assertThat((i % 2 == 0) ? status(client, "ZZZZZZZZ") : statusByPost(client, "ZZZZZZZZ"))
				.hasStatus(HttpStatus.OK);
		}
		assertThat(statusByPost(client, "ZZZZZZZZ")).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		MvcTestResult limited = status(client, "ZZZZZZZZ");
		assertThat(limited).hasStatus(HttpStatus.TOO_MANY_REQUESTS).headers().hasValue("X-RateLimit-Limit", "60");
		assertThat(limited).bodyJson().extractingPath("$.type").isEqualTo("/problems/rate-limited");
		// The redeem budget of the same client is untouched.
		assertThat(redeem(client, "ZZZZZZZZ")).hasStatus(HttpStatus.NOT_FOUND)
			.headers()
			.hasValue("X-RateLimit-Remaining", "4");
	}

	@Test
	void ipv6ClientsShareTheBudgetOfTheirSlash64() {
		for (int i = 0; i < 5; i++) {
			assertThat(redeem("2001:db8:77:1::" + Integer.toHexString(i + 1), "ZZZZZZZZ"))
				.hasStatus(HttpStatus.NOT_FOUND);
		}
		assertThat(redeem("2001:db8:77:1:ffff:ffff:ffff:ffff", "ZZZZZZZZ")).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(redeem("2001:db8:77:2::1", "ZZZZZZZZ")).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void generationIsNotLimitedByDefaultAndAnswersNoBudgetHeaders() {
		for (int i = 0; i < 20; i++) {
			MvcTestResult result = this.mvc.post().uri("/generate-coupon").with((request) -> {
				request.setRemoteAddr("198.51.100.5");
				return request;
			}).exchange();
			assertThat(result).hasStatus(HttpStatus.CREATED);
			assertThat(result.getResponse().getHeader("X-RateLimit-Limit")).isNull();
		}
	}

	@Test
	void trackedClientsAreAGauge() throws Exception {
		redeem("198.51.100.6", "ZZZZZZZZ");
		String body = this.mvc.get().uri("/actuator/prometheus").exchange().getResponse().getContentAsString();
		assertThat(body).containsPattern("coupon_ratelimit_tracked_clients\\{application=\"coupon-service\"\\} [1-9]");
	}

}
