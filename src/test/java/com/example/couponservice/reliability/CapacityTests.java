package com.example.couponservice.reliability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.example.couponservice.coupon.InMemoryCouponStore;
import com.example.couponservice.support.RawHttp;
import com.example.couponservice.support.Scrapes;
import com.example.couponservice.support.RawHttp.Response;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full in-memory store over real HTTP: generation past {@code coupon.store.max-memory}
 * (here the room of 20 plain coupons of 100 estimated bytes) answers 507
 * {@code /problems/store-full} and is counted, a bulk request that does not fit stores
 * none of its coupons, and the coupons already stored can still be redeemed, looked up
 * and voided. A context of its own: a store that holds 20 coupons would fail every other
 * test.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "coupon.store.max-memory=2000B", "coupon.rate-limit.redeem.capacity=1000",
				"coupon.rate-limit.status.capacity=1000", "coupon.rate-limit.redeem.network-capacity=1000",
				"coupon.rate-limit.status.network-capacity=1000" })
class CapacityTests {

	private static final String CLIENT = "127.0.0.1";

	private static final String REJECTED = "coupon_generation_rejected_total{application=\"coupon-service\","
			+ "reason=\"store_full\"}";

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	InMemoryCouponStore store;

	@Test
	void generationPastTheCapAnswers507AndStoresNothingWhileRedeemAndStatusKeepWorking() throws IOException {
		double rejectedBefore = rejected();
		List<String> codes = new ArrayList<>();
		Response first = post("/generate-coupons", "{\"count\":15}");
		assertThat(first.status()).isEqualTo(201);
		this.json.readTree(first.body()).get("codes").forEach((code) -> codes.add(code.asString()));
		assertThat(this.store.size()).isEqualTo(15);

		assertStoreFull(post("/generate-coupons", "{\"count\":6}"));
		assertThat(this.store.size()).as("a bulk request that does not fit stores nothing").isEqualTo(15);
		for (int i = 0; i < 5; i++) {
			Response single = post("/generate-coupon", "{}");
			assertThat(single.status()).as("generation %d of the 5 that still fit", i + 1).isEqualTo(201);
			codes.add(this.json.readTree(single.body()).get("code").asString());
		}
		assertThat(this.store.size()).isEqualTo(20);
		assertStoreFull(post("/generate-coupon", "{}"));
		assertStoreFull(post("/generate-coupons", "{\"count\":1}"));
		assertThat(this.store.size()).isEqualTo(20);
		assertThat(rejected() - rejectedBefore).isEqualTo(3);

		String redeemed = codes.get(0);
		Response redemption = post("/redeem-coupon", "{\"code\":\"" + redeemed + "\"}");
		assertThat(redemption.status()).isEqualTo(200);
		assertThat(this.json.readTree(redemption.body()).get("alreadyRedeemed").asBoolean()).isFalse();
		assertThat(status(redeemed).get("status").asString()).isEqualTo("USED");
		assertThat(status(codes.get(19)).get("status").asString()).isEqualTo("UNUSED");
		assertThat(post("/void-coupon", "{\"code\":\"" + codes.get(19) + "\"}").status()).isEqualTo(200);
		assertThat(status(codes.get(19)).get("status").asString()).isEqualTo("VOID");
		assertThat(this.store.size()).as("redeem and void free no room").isEqualTo(20);
		assertStoreFull(post("/generate-coupon", "{}"));
	}

	private void assertStoreFull(Response response) {
		assertThat(response.status()).isEqualTo(507);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo("/problems/store-full");
		assertThat(problem.get("status").asInt()).isEqualTo(507);
	}

	private Response post(String path, String json) throws IOException {
		return RawHttp.postJson(CLIENT, this.port, path, json);
	}

	private JsonNode status(String code) throws IOException {
		Response response = RawHttp.send(CLIENT, this.port,
				"GET /coupon-status?code=" + code + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
		assertThat(response.status()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private double rejected() throws IOException {
		Response response = RawHttp.send(CLIENT, this.port,
				"GET /actuator/prometheus HTTP/1.1\r\nHost: localhost\r\n\r\n");
		assertThat(response.status()).isEqualTo(200);
		return Scrapes.value(response.body(), REJECTED);
	}

}
