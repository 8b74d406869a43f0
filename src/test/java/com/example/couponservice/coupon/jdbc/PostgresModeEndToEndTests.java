package com.example.couponservice.coupon.jdbc;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import com.example.couponservice.coupon.CouponStore;
import com.example.couponservice.support.ServiceTest;
import com.example.couponservice.support.PostgresMode;
import com.example.couponservice.support.CouponRequests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service in the {@code postgres} profile over HTTP: Flyway creates the table,
 * and coupons go to and come from PostgreSQL.
 */
@ServiceTest
@PostgresMode
class PostgresModeEndToEndTests {

	@Autowired
	private RestTestClient client;

	@Autowired
	private CouponStore store;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void storeIsThePostgresStore() {
		assertThat(this.store).isInstanceOf(JdbcCouponStore.class);
	}

	@Test
	void generateRedeemAndStatusGoThroughTheDatabase() {
		String code = generate("{\"campaign\":\"e2e\",\"metadata\":{\"channel\":\"email\"}}");

		this.client.post()
			.uri("/redeem-coupon")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"code\":\"" + code + "\",\"reference\":\"order-1\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(code)
			.jsonPath("$.alreadyRedeemed")
			.isEqualTo(false);

		this.client.get()
			.uri("/coupon-status?code={code}", code)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("USED")
			.jsonPath("$.redeemedAt")
			.isNotEmpty()
			.jsonPath("$.campaign")
			.isEqualTo("e2e")
			.jsonPath("$.metadata.channel")
			.isEqualTo("email");
		assertThat(this.jdbc.sql("SELECT status || ' ' || reference FROM coupon WHERE code = ?")
			.param(code)
			.query(String.class)
			.single()).isEqualTo("USED order-1");
	}

	@Test
	void redeemByAnotherReferenceIsAConflict() {
		String code = generate("{}");
		redeem(code, "order-1").expectStatus().isOk();

		redeem(code, "order-2").expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/coupon-already-redeemed");
	}

	@Test
	void bulkGenerationIsCountedInCampaignStats() {
		this.client.post()
			.uri("/generate-coupons")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.body("{\"count\":250,\"campaign\":\"e2e-bulk\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.count")
			.isEqualTo(250);

		this.client.get()
			.uri("/campaigns/e2e-bulk/stats")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.total")
			.isEqualTo(250)
			.jsonPath("$.counts.UNUSED")
			.isEqualTo(250)
			.jsonPath("$.counts.USED")
			.isEqualTo(0)
			.jsonPath("$.counts.EXPIRED")
			.isEqualTo(0)
			.jsonPath("$.counts.VOID")
			.isEqualTo(0);
	}

	@Test
	void readinessIncludesTheDatabase() {
		this.client.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.db.status")
			.isEqualTo("UP");
	}

	private String generate(String body) {
		return CouponRequests.generate(this.client, body);
	}

	private RestTestClient.ResponseSpec redeem(String code, String reference) {
		return CouponRequests.redeem(this.client, code, reference);
	}

}
