package com.example.couponservice.coupon.jdbc;

import java.util.Objects;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.client.RestTestClient;

import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.EmbeddedPostgresSupport;

import tools.jackson.databind.JsonNode;

/**
 * Coupons outlive the service: what one instance of the application stored, a new one
 * started on the same database reads back, state and timestamps included.
 */
class PostgresModeDurabilityTests {

	private final EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.shared();

	private final String database = this.postgres.createDatabase();

	@Test
	void couponsAndTheirStateSurviveARestartOfTheService() {
		String used;
		String unused;
		String redeemedAt;
		try (ConfigurableApplicationContext first = startService()) {
			RestTestClient client = client(first);
			used = generate(client);
			unused = generate(client);
			redeemedAt = Objects.requireNonNull(redeem(client, used).returnResult(JsonNode.class).getResponseBody())
				.get("redeemedAt")
				.asString();
		}

		try (ConfigurableApplicationContext second = startService()) {
			RestTestClient client = client(second);
			client.get()
				.uri("/coupon-status?code={code}", used)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("USED")
				.jsonPath("$.redeemedAt")
				.isEqualTo(redeemedAt)
				.jsonPath("$.campaign")
				.isEqualTo("durable");
			// The stored reference decides that this repeat is a retry of the first.
			redeem(client, used).expectBody()
				.jsonPath("$.alreadyRedeemed")
				.isEqualTo(true)
				.jsonPath("$.redeemedAt")
				.isEqualTo(redeemedAt);
			client.get()
				.uri("/coupon-status?code={code}", unused)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UNUSED");
		}
	}

	private ConfigurableApplicationContext startService() {
		return this.postgres.startService(this.database);
	}

	private static RestTestClient client(ConfigurableApplicationContext context) {
		String port = context.getEnvironment().getRequiredProperty("local.server.port");
		return RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
	}

	private static String generate(RestTestClient client) {
		return CouponRequests.generate(client, "{\"campaign\":\"durable\"}");
	}

	private static RestTestClient.ResponseSpec redeem(RestTestClient client, String code) {
		return CouponRequests.redeem(client, code, "order-1").expectStatus().isOk();
	}

}
