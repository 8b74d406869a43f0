package com.example.couponservice.security;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import com.example.couponservice.CouponServiceApplication;
import com.example.couponservice.coupon.web.CouponEndpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * With an admin token configured, the operator endpoints need it and nothing else does. A
 * context of its own: the token changes which requests the filter lets through for every
 * other test.
 */
@SpringBootTest(properties = "coupon.security.admin-token=correct-horse-battery-staple")
@AutoConfigureMockMvc
class AdminTokenTests {

	static final String TOKEN = "Bearer correct-horse-battery-staple";

	@Autowired
	MockMvcTester mvc;

	static void assertUnauthorized(MvcTestResult result) {
		assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer");
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("/problems/unauthorized");
	}

	@Test
	void generationNeedsTheBearerToken() {
		assertUnauthorized(this.mvc.post().uri("/generate-coupon").exchange());
		assertUnauthorized(this.mvc.post().uri("/generate-coupon").header("Authorization", "Bearer wrong").exchange());
		assertUnauthorized(
				this.mvc.post().uri("/generate-coupon").header("Authorization", "Basic Zm9vOmJhcg==").exchange());
		assertUnauthorized(this.mvc.post().uri("/generate-coupon").header("Authorization", TOKEN + "x").exchange());
		assertThat(this.mvc.post().uri("/generate-coupon").header("Authorization", TOKEN))
			.hasStatus(HttpStatus.CREATED);
		assertThat(this.mvc.post()
			.uri("/generate-coupon")
			.header("Authorization", "bearer  correct-horse-battery-staple ")).hasStatus(HttpStatus.CREATED);
	}

	@Test
	void everyAdminEndpointNeedsTheToken() {
		assertUnauthorized(this.mvc.post()
			.uri("/generate-coupons")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"count\":2}")
			.exchange());
		assertUnauthorized(this.mvc.post()
			.uri("/void-coupon")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"ZZZZZZZZ\"}")
			.exchange());
		assertUnauthorized(this.mvc.get().uri("/campaigns/spring/stats").exchange());
		assertUnauthorized(this.mvc.post().uri("/generate-coupon;x=y").exchange());
		assertThat(this.mvc.post()
			.uri("/generate-coupons")
			.header("Authorization", TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"count\":2}")).hasStatus(HttpStatus.CREATED);
		assertThat(this.mvc.get().uri("/campaigns/spring/stats").header("Authorization", TOKEN))
			.hasStatus(HttpStatus.OK);
	}

	@Test
	void everyAdminOperationOfTheEndpointTableNeedsTheTokenAndNoOtherDoes() {
		for (CouponEndpoint endpoint : CouponEndpoint.values()) {
			String path = endpoint.path().replace("{campaign}", "spring").replace("{code}", "ZZZZZZZZ");
			MvcTestResult result = this.mvc.method(endpoint.method())
				.uri(path)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"code\":\"ZZZZZZZZ\"}")
				.exchange();
			if (endpoint.isAdmin()) {
				assertUnauthorized(result);
			}
			else {
				assertThat(result.getResponse().getStatus()).as(endpoint.name()).isNotEqualTo(401);
			}
		}
	}

	@Test
	void redemptionAndStatusStayOpen() {
		assertThat(this.mvc.get().uri("/coupon-status").param("code", "ZZZZZZZZ")).hasStatus(HttpStatus.OK);
		assertThat(this.mvc.post()
			.uri("/redeem-coupon")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"ZZZZZZZZ\"}")).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void actuatorExposesOnlyHealthInfoAndPrometheus() {
		assertThat(this.mvc.get().uri("/actuator/health")).hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/actuator/health/liveness")).hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/actuator/health/readiness")).hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/actuator/info")).hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/actuator/prometheus")).hasStatus(HttpStatus.OK);
		for (String hidden : new String[] { "env", "beans", "configprops", "heapdump", "threaddump", "loggers",
				"mappings", "metrics", "shutdown" }) {
			assertThat(this.mvc.get().uri("/actuator/" + hidden)).as(hidden).hasStatus(HttpStatus.NOT_FOUND);
		}
	}

	@Test
	void theProdProfileRefusesToStartWithoutAToken() {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(CouponServiceApplication.class).profiles("prod")
				.properties("server.port=0", "coupon.security.admin-token=")
				.run()
				.close())
			.withStackTraceContaining("coupon.security.admin-token");
	}

}
