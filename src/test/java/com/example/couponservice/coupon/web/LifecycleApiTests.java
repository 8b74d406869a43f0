package com.example.couponservice.coupon.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import com.example.couponservice.support.ServiceTest;
import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.MutableClock;

import static com.example.couponservice.coupon.web.CouponApiTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Safe repeat redemption, expiry, campaigns, bulk generation and void over HTTP. */
@ServiceTest
class LifecycleApiTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	MvcTestResult post(String path, String json) {
		return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
	}

	String generate(String json) {
		return CouponRequests.codeOf(post("/generate-coupon", json));
	}

	MvcTestResult status(String code) {
		return this.mvc.get().uri("/coupon-status").param("code", code).exchange();
	}

	@Test
	void theSameReferenceIsARetryAndAnotherIsA409ThatChangesNothing() {
		String code = generate("{}");
		MvcTestResult first = post("/redeem-coupon", "{\"code\":\"" + code + "\",\"reference\":\"order-1\"}");
		assertThat(first).bodyJson().extractingPath("$.alreadyRedeemed").isEqualTo(false);
		String redeemedAt = this.clock.instant().toString();
		this.clock.advance(Duration.ofSeconds(10));
		MvcTestResult retry = post("/redeem-coupon", "{\"code\":\"" + code + "\",\"reference\":\"order-1\"}");
		assertThat(retry).hasStatus(HttpStatus.OK);
		assertThat(retry).bodyJson().extractingPath("$.alreadyRedeemed").isEqualTo(true);
		assertThat(retry).bodyJson().extractingPath("$.redeemedAt").isEqualTo(redeemedAt);

		MvcTestResult other = post("/redeem-coupon", "{\"code\":\"" + code + "\",\"reference\":\"order-2\"}");
		assertProblem(other, 409, "coupon-already-redeemed");
		assertThat(other).bodyJson().extractingPath("$.redeemedAt").isEqualTo(redeemedAt);
		assertProblem(post("/redeem-coupon", "{\"code\":\"" + code + "\"}"), 409, "coupon-already-redeemed");
		assertThat(status(code)).bodyJson().extractingPath("$.redeemedAt").isEqualTo(redeemedAt);
	}

	@Test
	void theIdempotencyKeyHeaderStandsInForTheReference() {
		String code = generate("{}");
		assertThat(this.mvc.post()
			.uri("/redeem-coupon")
			.header("Idempotency-Key", "cart-7")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"" + code + "\"}")).bodyJson().extractingPath("$.alreadyRedeemed").isEqualTo(false);
		assertThat(post("/redeem-coupon", "{\"code\":\"" + code + "\",\"reference\":\"cart-7\"}")).bodyJson()
			.extractingPath("$.alreadyRedeemed")
			.isEqualTo(true);
		assertProblem(this.mvc.post()
			.uri("/redeem-coupon")
			.header("Idempotency-Key", "cart-8")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"" + code + "\"}")
			.exchange(), 409, "coupon-already-redeemed");
		MvcTestResult mismatch = this.mvc.post()
			.uri("/redeem-coupon")
			.header("Idempotency-Key", "a")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"" + code + "\",\"reference\":\"b\"}")
			.exchange();
		assertProblem(mismatch, 400, "invalid-field");
		assertThat(mismatch).bodyJson().extractingPath("$.field").isEqualTo("reference");
	}

	@Test
	void anInvalidReferenceIs400NamingTheField() {
		String code = generate("{}");
		MvcTestResult result = post("/redeem-coupon",
				"{\"code\":\"" + code + "\",\"reference\":\"" + "r".repeat(65) + "\"}");
		assertProblem(result, 400, "invalid-field");
		assertThat(result).bodyJson().extractingPath("$.field").isEqualTo("reference");
		assertThat(status(code)).bodyJson().extractingPath("$.status").isEqualTo("UNUSED");
	}

	@Test
	void expiryFromTtlOrInstantIsReportedAndEnforced() {
		String ttl = generate("{\"ttl\":\"PT1H\"}");
		Instant expiresAt = this.clock.instant().plus(Duration.ofHours(1));
		assertThat(status(ttl)).bodyJson().extractingPath("$.expiresAt").isEqualTo(expiresAt.toString());
		String fixed = generate("{\"expiresAt\":\"" + this.clock.instant().plus(Duration.ofMinutes(30)) + "\"}");
		this.clock.advance(Duration.ofMinutes(30));
		assertThat(status(fixed)).bodyJson().extractingPath("$.status").isEqualTo("EXPIRED");
		assertThat(status(ttl)).bodyJson().extractingPath("$.status").isEqualTo("UNUSED");
		MvcTestResult expired = post("/redeem-coupon", "{\"code\":\"" + fixed + "\"}");
		assertProblem(expired, 409, "coupon-expired");
		assertThat(expired).bodyJson().extractingPath("$.expiresAt").isNotNull();
	}

	@Test
	void badExpiryIs400NamingTheField() {
		MvcTestResult past = post("/generate-coupon", "{\"expiresAt\":\"2000-01-01T00:00:00Z\"}");
		assertProblem(past, 400, "invalid-field");
		assertThat(past).bodyJson().extractingPath("$.field").isEqualTo("expiresAt");
		MvcTestResult notADuration = post("/generate-coupon", "{\"ttl\":\"thirty days\"}");
		assertProblem(notADuration, 400, "invalid-field");
		assertThat(notADuration).bodyJson().extractingPath("$.field").isEqualTo("ttl");
		assertProblem(post("/generate-coupon", "{\"ttl\":\"-P1D\"}"), 400, "invalid-field");
		MvcTestResult notAnInstant = post("/generate-coupon", "{\"expiresAt\":\"tomorrow\"}");
		assertProblem(notAnInstant, 400, "invalid-field");
		assertThat(notAnInstant).bodyJson().extractingPath("$.field").isEqualTo("expiresAt");
		// ISO-8601 strings only: bare numbers are not read as seconds.
		assertProblem(post("/generate-coupon", "{\"ttl\":3600}"), 400, "malformed-request");
		assertProblem(post("/generate-coupon", "{\"expiresAt\":1893456000}"), 400, "malformed-request");
	}

	@Test
	void campaignAndMetadataAreReturnedByStatus() {
		String code = generate("{\"campaign\":\"summer-26\",\"metadata\":{\"channel\":\"email\",\"tier\":\"gold\"}}");
		assertThat(status(code)).bodyJson()
			.isLenientlyEqualTo("{\"status\":\"UNUSED\",\"campaign\":\"summer-26\","
					+ "\"metadata\":{\"channel\":\"email\",\"tier\":\"gold\"}}");
		MvcTestResult badCampaign = post("/generate-coupon", "{\"campaign\":\"no spaces\"}");
		assertProblem(badCampaign, 400, "invalid-field");
		assertThat(badCampaign).bodyJson().extractingPath("$.field").isEqualTo("campaign");
		MvcTestResult nested = post("/generate-coupon", "{\"metadata\":{\"a\":{\"b\":\"c\"}}}");
		assertProblem(nested, 400, "malformed-request");
		assertThat(nested).bodyJson().extractingPath("$.field").isEqualTo("metadata.a");
	}

	@Test
	void bulkGenerationAnswersJsonOrCsv() throws Exception {
		MvcTestResult json = post("/generate-coupons", "{\"count\":3,\"campaign\":\"bulk-json\"}");
		assertThat(json).hasStatus(HttpStatus.CREATED);
		assertThat(json).bodyJson().extractingPath("$.count").isEqualTo(3);
		assertThat(json).bodyJson().extractingPath("$.codes").asArray().hasSize(3).doesNotHaveDuplicates();

		MvcTestResult csv = this.mvc.post()
			.uri("/generate-coupons")
			.accept("text/csv")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"count\":4,\"campaign\":\"bulk-csv\"}")
			.exchange();
		assertThat(csv).hasStatus(HttpStatus.CREATED).hasContentTypeCompatibleWith("text/csv");
		List<String> lines = csv.getResponse().getContentAsString().lines().toList();
		assertThat(lines).hasSize(5).first().isEqualTo("code");
		assertThat(lines.subList(1, 5)).allMatch((line) -> line.matches("[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}"));
		assertThat(status(lines.get(1))).bodyJson().extractingPath("$.campaign").isEqualTo("bulk-csv");
	}

	@Test
	void bulkCountOutOfRangeIs400AndStoresNothing() {
		for (String body : new String[] { "{\"count\":0}", "{\"count\":10001}", "{}", "{\"count\":-1}" }) {
			MvcTestResult result = post("/generate-coupons", body);
			assertProblem(result, 400, "invalid-field");
			assertThat(result).bodyJson().extractingPath("$.field").isEqualTo("count");
		}
		assertProblem(post("/generate-coupons", "{\"count\":\"5\"}"), 400, "malformed-request");
		assertProblem(post("/generate-coupons", "{\"count\":2.5}"), 400, "malformed-request");
		assertProblem(post("/generate-coupons", "{\"count\":99999999999999999999}"), 400, "malformed-request");
	}

	@Test
	void voidBlocksRedemptionAndIsIdempotent() {
		String code = generate("{}");
		MvcTestResult voided = post("/void-coupon", "{\"code\":\"" + code + "\"}");
		assertThat(voided).hasStatus(HttpStatus.OK);
		assertThat(voided).bodyJson().extractingPath("$.status").isEqualTo("VOID");
		assertThat(voided).bodyJson().extractingPath("$.voidedAt").isEqualTo(this.clock.instant().toString());
		assertThat(post("/void-coupon", "{\"code\":\"" + code + "\"}")).hasStatus(HttpStatus.OK);
		assertThat(status(code)).bodyJson().extractingPath("$.status").isEqualTo("VOID");
		assertProblem(post("/redeem-coupon", "{\"code\":\"" + code + "\"}"), 409, "coupon-void");
	}

	@Test
	void voidingAUsedCouponIs409AndAnUnknownOne404() {
		String code = generate("{}");
		post("/redeem-coupon", "{\"code\":\"" + code + "\"}");
		assertProblem(post("/void-coupon", "{\"code\":\"" + code + "\"}"), 409, "coupon-already-redeemed");
		assertThat(status(code)).bodyJson().extractingPath("$.status").isEqualTo("USED");
		assertProblem(post("/void-coupon", "{\"code\":\"ZZZZZZZZ\"}"), 404, "coupon-not-found");
		assertProblem(post("/void-coupon", "{\"code\":\"bad\"}"), 400, "invalid-coupon-code");
	}

	@Test
	void campaignStatsCountByStatus() {
		List<String> codes = List.of(generate("{\"campaign\":\"stats-1\"}"), generate("{\"campaign\":\"stats-1\"}"),
				generate("{\"campaign\":\"stats-1\"}"));
		post("/redeem-coupon", "{\"code\":\"" + codes.get(0) + "\"}");
		post("/void-coupon", "{\"code\":\"" + codes.get(1) + "\"}");
		MvcTestResult stats = this.mvc.get().uri("/campaigns/stats-1/stats").exchange();
		assertThat(stats).hasStatus(HttpStatus.OK);
		assertThat(stats).bodyJson()
			.isStrictlyEqualTo("{\"campaign\":\"stats-1\",\"total\":3,"
					+ "\"counts\":{\"UNUSED\":1,\"USED\":1,\"EXPIRED\":0,\"VOID\":1}}");
		assertProblem(this.mvc.get().uri("/campaigns/bad campaign/stats").exchange(), 400, "invalid-field");
	}

	@Test
	void aClientSendingOnlyTheCodeGetsTheMinimalContract() {
		String code = generate("{}");
		assertThat(post("/generate-coupon", "")).hasStatus(HttpStatus.CREATED);
		assertThat(post("/redeem-coupon", "{\"code\":\"" + code + "\"}")).bodyJson()
			.isStrictlyEqualTo("{\"message\":\"Coupon redeemed successfully\",\"code\":\"" + code
					+ "\",\"redeemedAt\":\"" + this.clock.instant() + "\",\"alreadyRedeemed\":false}");
		assertThat(post("/redeem-coupon", "{\"code\":\"" + code + "\"}")).hasStatus(HttpStatus.OK);
	}

	@Test
	void textThatNoDatabaseCanStoreIs400InEveryStoreAndStoresNothing() {
		String[] bodies = { "{\"campaign\":\"nul-1\",\"metadata\":{\"k\":\"a\\u0000b\"}}",
				"{\"campaign\":\"nul-1\",\"metadata\":{\"k\":\"lone \\ud800\"}}",
				"{\"campaign\":\"nul-1\",\"metadata\":{\"k\":\"\\udc00\"}}",
				"{\"campaign\":\"nul-1\",\"metadata\":{\"k\\u0000\":\"v\"}}" };
		for (String body : bodies) {
			MvcTestResult single = post("/generate-coupon", body);
			assertProblem(single, 400, "invalid-field");
			assertThat(single).bodyJson().extractingPath("$.field").asString().startsWith("metadata");
			assertProblem(post("/generate-coupons", body.replace("{\"campaign\"", "{\"count\":3,\"campaign\"")), 400,
					"invalid-field");
		}
		assertThat(this.mvc.get().uri("/campaigns/nul-1/stats")).bodyJson().extractingPath("$.total").isEqualTo(0);
		String code = generate("{}");
		for (String reference : new String[] { "order\\u0000", "order\\ud800", "\\udc00" }) {
			MvcTestResult redeem = post("/redeem-coupon",
					"{\"code\":\"" + code + "\",\"reference\":\"" + reference + "\"}");
			assertProblem(redeem, 400, "invalid-field");
			assertThat(redeem).bodyJson().extractingPath("$.field").isEqualTo("reference");
		}
		assertThat(status(code)).bodyJson().extractingPath("$.status").isEqualTo("UNUSED");
	}

	@Test
	void theLargestValidBodyOfEachEndpointIsAccepted() {
		String generation = maximalGeneration("");
		assertThat(generation.getBytes(StandardCharsets.UTF_8).length).as("more than the old 4 KiB limit")
			.isGreaterThan(4096)
			.isLessThan(16384);
		MvcTestResult single = post("/generate-coupon", generation);
		assertThat(single).hasStatus(HttpStatus.CREATED);
		String code = CouponRequests.codeOf(single);
		assertThat(status(code)).bodyJson().extractingPath("$.metadata").asMap().hasSize(16);
		assertThat(post("/generate-coupons", maximalGeneration("\"count\":2,"))).hasStatus(HttpStatus.CREATED);
		// A code as typed at its longest, and a reference of 64 three-byte characters.
		String typed = " " + String.join("-", code.split("")) + " ".repeat(40);
		String reference = "\u20ac".repeat(64);
		assertThat(post("/coupon-status", "{\"code\":\"" + typed + "\"}")).hasStatus(HttpStatus.OK);
		assertThat(post("/redeem-coupon", "{\"code\":\"" + typed + "\",\"reference\":\"" + reference + "\"}"))
			.hasStatus(HttpStatus.OK);
		String unused = generate("{}");
		assertThat(post("/void-coupon", "{\"code\":\"" + unused + "\"}")).hasStatus(HttpStatus.OK);
	}

	@Test
	void aBodyPastItsEndpointsLimitIs413() {
		String padding = " ".repeat(16384);
		assertProblem(post("/generate-coupon", "{" + padding + "}"), 413, "payload-too-large");
		assertProblem(post("/generate-coupons", "{\"count\":1" + padding + "}"), 413, "payload-too-large");
		String small = " ".repeat(4096);
		assertProblem(post("/redeem-coupon", "{\"code\":\"ZZZZZZZZ\"" + small + "}"), 413, "payload-too-large");
		assertProblem(post("/void-coupon", "{\"code\":\"ZZZZZZZZ\"" + small + "}"), 413, "payload-too-large");
		assertProblem(post("/coupon-status", "{\"code\":\"ZZZZZZZZ\"" + small + "}"), 413, "payload-too-large");
	}

	/** A generation at every documented maximum: 16 entries of 40 + 256 characters. */
	private static String maximalGeneration(String more) {
		StringBuilder json = new StringBuilder("{").append(more)
			.append("\"ttl\":\"P30D\",\"campaign\":\"")
			.append("c".repeat(64))
			.append("\",\"metadata\":{");
		for (int i = 0; i < 16; i++) {
			json.append((i > 0) ? "," : "")
				.append('"')
				.append(String.format("%02d", i))
				.append("k".repeat(38))
				.append("\":\"")
				.append("\u20ac".repeat(256))
				.append('"');
		}
		return json.append("}}").toString();
	}

}
