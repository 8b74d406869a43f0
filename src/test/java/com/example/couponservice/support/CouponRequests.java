package com.example.couponservice.support;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coupon requests tests send, through {@link RestTestClient} or
 * {@link MockMvcTester}, and reading the code out of a generation's {@code Location}.
 */
public final class CouponRequests {

	private static final String LOCATION = "/coupon-status?code=";

	private CouponRequests() {
	}

	/** The code that a generation's {@code Location} header names. */
	public static String codeOf(@Nullable String location) {
		assertThat(location).startsWith(LOCATION);
		return Objects.requireNonNull(location).substring(LOCATION.length());
	}

	/** The code that a 201 answer of a generation names in its {@code Location}. */
	public static String codeOf(MvcTestResult generated) {
		assertThat(generated).hasStatus(HttpStatus.CREATED);
		return codeOf(generated.getResponse().getHeader(HttpHeaders.LOCATION));
	}

	/** {@code POST /generate-coupon} without a body; asserts 201, returns the code. */
	public static String generate(MockMvcTester mvc) {
		return codeOf(mvc.post().uri("/generate-coupon").exchange());
	}

	/** {@code POST /generate-coupon} with {@code body}; asserts 201, returns the code. */
	public static String generate(RestTestClient client, String body) {
		JsonNode generated = client.post()
			.uri("/generate-coupon")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(JsonNode.class)
			.getResponseBody();
		return Objects.requireNonNull(generated).get("code").asString();
	}

	/**
	 * {@code POST /redeem-coupon} of {@code code} with {@code reference}; nothing
	 * asserted.
	 */
	public static RestTestClient.ResponseSpec redeem(RestTestClient client, String code, String reference) {
		return client.post()
			.uri("/redeem-coupon")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"code\":\"" + code + "\",\"reference\":\"" + reference + "\"}")
			.exchange();
	}

}
