package com.example.couponservice.coupon.redis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import com.example.couponservice.CouponServiceApplication;
import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.RedisClusterSupport;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coupons outlive the service in Redis mode too: what one instance of the application
 * stored, a new one started on the same cluster and key prefix reads back, state,
 * timestamps, history, campaign counts and rate-limit budgets included.
 */
// Not while the shared test contexts start: two Spring Boot applications initialising
// logging at the same moment can fail one of them (see RedisRateLimitTests).
@ResourceLock("ServiceTest")
@ResourceLock("RateLimitedServiceTest")
class RedisModeDurabilityTests {

	private static final String CAMPAIGN = "durable";

	private final RedisClusterSupport cluster = RedisClusterSupport.shared();

	private final String keyPrefix = this.cluster.newKeyPrefix() + "coupon:";

	@Test
	void couponsTheirHistoryCountsAndBudgetsSurviveARestartOfTheService() {
		String used;
		String unused;
		String voided;
		List<String> bulk;
		String redeemedAt;
		Map<String, JsonNode> statuses = new LinkedHashMap<>();
		Map<String, JsonNode> histories = new LinkedHashMap<>();
		JsonNode stats;
		try (ConfigurableApplicationContext first = startService()) {
			RestTestClient client = client(first);
			used = generate(client);
			unused = generate(client);
			voided = generate(client);
			bulk = generateBulk(client, 3);
			redeemedAt = Objects.requireNonNull(redeem(client, used).returnResult(JsonNode.class).getResponseBody())
				.get("redeemedAt")
				.asString();
			// A refused attempt is history too.
			redeem(client, bulk.get(0));
			CouponRequests.redeem(client, bulk.get(0), "order-2").expectStatus().isEqualTo(409);
			post(client, "/void-coupon", "{\"code\":\"" + voided + "\"}");
			for (String code : List.of(used, unused, voided, bulk.get(0), bulk.get(1), bulk.get(2))) {
				statuses.put(code, get(client, "/coupon-status?code=" + code));
				histories.put(code, get(client, "/coupons/" + code + "/events"));
			}
			stats = get(client, "/campaigns/" + CAMPAIGN + "/stats");
		}
		assertThat(statuses.get(used).get("status").asString()).isEqualTo("USED");
		assertThat(statuses.get(voided).get("status").asString()).isEqualTo("VOID");
		assertThat(histories.get(bulk.get(0)).get("events")).hasSize(3);
		assertThat(stats.get("counts").get("USED").asLong()).isEqualTo(2);

		try (ConfigurableApplicationContext second = startService()) {
			RestTestClient client = client(second);
			statuses.forEach((code, status) -> assertThat(get(client, "/coupon-status?code=" + code)).as(code)
				.isEqualTo(status));
			histories.forEach((code, history) -> assertThat(get(client, "/coupons/" + code + "/events")).as(code)
				.isEqualTo(history));
			assertThat(get(client, "/campaigns/" + CAMPAIGN + "/stats")).isEqualTo(stats);
			// The stored reference decides that this repeat is a retry of the first.
			redeem(client, used).expectBody()
				.jsonPath("$.alreadyRedeemed")
				.isEqualTo(true)
				.jsonPath("$.redeemedAt")
				.isEqualTo(redeemedAt);
			redeem(client, unused).expectBody().jsonPath("$.alreadyRedeemed").isEqualTo(false);
			// The client's rate-limit budget lives in the cluster as well: three
			// attempts before the restart and two after spend all five.
			CouponRequests.redeem(client, voided, "order-1").expectStatus().isEqualTo(429);
		}
	}

	private ConfigurableApplicationContext startService() {
		return new SpringApplicationBuilder(CouponServiceApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.data.redis.cluster.nodes=" + this.cluster.nodes(),
					"--coupon.redis.key-prefix=" + this.keyPrefix, "--coupon.rate-limit.redeem.capacity=5",
					// Long enough not to refill while the test runs, however slowly.
					"--coupon.rate-limit.redeem.window=1h", "--coupon.rate-limit.idle-timeout=1h");
	}

	private static RestTestClient client(ConfigurableApplicationContext context) {
		String port = context.getEnvironment().getRequiredProperty("local.server.port");
		return RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
	}

	private static String generate(RestTestClient client) {
		return CouponRequests.generate(client, "{\"campaign\":\"" + CAMPAIGN + "\"}");
	}

	private static List<String> generateBulk(RestTestClient client, int count) {
		JsonNode generated = post(client, "/generate-coupons",
				"{\"count\":" + count + ",\"campaign\":\"" + CAMPAIGN + "\",\"metadata\":{\"channel\":\"mail\"}}");
		return generated.get("codes").valueStream().map(JsonNode::asString).toList();
	}

	private static RestTestClient.ResponseSpec redeem(RestTestClient client, String code) {
		return CouponRequests.redeem(client, code, "order-1").expectStatus().isOk();
	}

	private static JsonNode post(RestTestClient client, String uri, String body) {
		return Objects.requireNonNull(client.post()
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.is2xxSuccessful()
			.returnResult(JsonNode.class)
			.getResponseBody());
	}

	private static JsonNode get(RestTestClient client, String uri) {
		return Objects.requireNonNull(
				client.get().uri(uri).exchange().expectStatus().isOk().returnResult(JsonNode.class).getResponseBody());
	}

}
