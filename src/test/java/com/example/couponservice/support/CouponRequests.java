package com.example.couponservice.support;

import java.util.Objects;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import tools.jackson.databind.JsonNode;

/** The coupon requests tests send to a running service through {@link RestTestClient}. */
public final class CouponRequests {

	private CouponRequests() {
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
