package com.example.couponservice.coupon.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.MutableClock;
import com.example.couponservice.support.Scrapes;
import com.example.couponservice.support.ServiceTest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.example.couponservice.coupon.web.CouponApiTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkout loop through HTTP: a coupon is validated in the cart, redeemed with the
 * order, given back when the order is cancelled, redeemed again; customer-bound coupons;
 * the history of each coupon; listing and export. Runs on every store (subclasses).
 */
@ServiceTest
class CheckoutApiTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	MvcTestResult post(String path, String body) {
		return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	String generate(String body) {
		return CouponRequests.codeOf(post("/generate-coupon", body));
	}

	JsonNode body(MvcTestResult result) throws Exception {
		return this.json.readTree(result.getResponse().getContentAsString());
	}

	List<String> kinds(String code) throws Exception {
		List<String> kinds = new ArrayList<>();
		body(this.mvc.get().uri("/coupons/{code}/events", code).exchange()).get("events")
			.forEach((event) -> kinds.add(event.get("kind").asString()));
		return kinds;
	}

	double metric(String series) throws Exception {
		return Scrapes.value(this.mvc.get().uri("/actuator/prometheus").exchange().getResponse().getContentAsString(),
				series);
	}

	@Test
	void validateRedeemReverseAndRedeemAgain() throws Exception {
		String code = generate("{\"campaign\":\"loop-1\",\"ttl\":\"P30D\"}");
		double reversals = metric("coupon_reversals_total{application=\"coupon-service\"}");

		MvcTestResult valid = post("/validate-coupon", "{\"code\":\"" + code.toLowerCase() + "\"}");
		assertThat(valid).hasStatus(HttpStatus.OK);
		assertThat(valid).bodyJson()
			.isStrictlyEqualTo("{\"code\":\"" + code + "\",\"valid\":true,\"expiresAt\":\""
					+ this.clock.instant().plus(Duration.ofDays(30)) + "\",\"campaign\":\"loop-1\"}");

		assertThat(post("/redeem-coupon", "{\"code\":\"" + code + "\",\"reference\":\"order-1\"}"))
			.hasStatus(HttpStatus.OK);
		assertThat(post("/validate-coupon", "{\"code\":\"" + code + "\"}")).bodyJson()
			.extractingPath("$.reason")
			.isEqualTo("used");

		this.clock.advance(Duration.ofMinutes(5));
		MvcTestResult reversed = post("/reverse-redemption",
				"{\"code\":\"" + code + "\",\"reference\":\"order-1\",\"reason\":\"payment failed\"}");
		assertThat(reversed).hasStatus(HttpStatus.OK);
		assertThat(reversed).bodyJson()
			.isStrictlyEqualTo("{\"code\":\"" + code + "\",\"status\":\"UNUSED\",\"reversedAt\":\""
					+ this.clock.instant() + "\",\"alreadyReversed\":false}");
		MvcTestResult status = this.mvc.get().uri("/coupon-status").param("code", code).exchange();
		assertThat(status).bodyJson().extractingPath("$.status").isEqualTo("UNUSED");
		assertThat(body(status).has("redeemedAt")).isFalse();

		MvcTestResult repeat = post("/reverse-redemption", "{\"code\":\"" + code + "\",\"reference\":\"order-1\"}");
		assertThat(repeat).hasStatus(HttpStatus.OK);
		assertThat(repeat).bodyJson().extractingPath("$.alreadyReversed").isEqualTo(true);

		MvcTestResult again = post("/redeem-coupon", "{\"code\":\"" + code + "\",\"reference\":\"order-2\"}");
		assertThat(again).hasStatus(HttpStatus.OK);
		assertThat(again).bodyJson().extractingPath("$.alreadyRedeemed").isEqualTo(false);

		assertThat(kinds(code)).containsExactly("GENERATED", "VALIDATED", "REDEEMED", "VALIDATED", "REVERSED",
				"REDEEMED");
		assertThat(metric("coupon_reversals_total{application=\"coupon-service\"}") - reversals).isEqualTo(1);
	}

	@Test
	void reversalIsRefusedWithAReasonOfItsOwn() {
		String used = generate("{}");
		post("/redeem-coupon", "{\"code\":\"" + used + "\",\"reference\":\"order-1\"}");
		String fresh = generate("{}");
		String voided = generate("{}");
		post("/void-coupon", "{\"code\":\"" + voided + "\"}");

		assertProblem(post("/reverse-redemption", "{\"code\":\"" + used + "\",\"reference\":\"order-2\"}"), 409,
				"reference-mismatch");
		assertProblem(post("/reverse-redemption", "{\"code\":\"" + used + "\"}"), 409, "reference-mismatch");
		assertProblem(post("/reverse-redemption", "{\"code\":\"" + fresh + "\"}"), 409, "coupon-not-redeemed");
		assertProblem(post("/reverse-redemption", "{\"code\":\"" + voided + "\"}"), 409, "coupon-void");
		assertProblem(post("/reverse-redemption", "{\"code\":\"ZZZZZZZZ\"}"), 404, "coupon-not-found");
		assertProblem(post("/reverse-redemption", "{\"code\":\"ABC\"}"), 400, "invalid-coupon-code");
		assertProblem(post("/reverse-redemption", "{\"code\":\"" + used + "\",\"reason\":\"" + "r".repeat(257) + "\"}"),
				400, "invalid-field");
		assertThat(this.mvc.get().uri("/coupon-status").param("code", used)).bodyJson()
			.extractingPath("$.status")
			.isEqualTo("USED");
	}

	@Test
	void aCouponPastItsTimeComesBackExpired() {
		String code = generate("{\"ttl\":\"PT1H\"}");
		post("/redeem-coupon", "{\"code\":\"" + code + "\"}");
		this.clock.advance(Duration.ofHours(2));

		MvcTestResult reversed = post("/reverse-redemption", "{\"code\":\"" + code + "\"}");

		assertThat(reversed).bodyJson().extractingPath("$.status").isEqualTo("EXPIRED");
		assertProblem(post("/redeem-coupon", "{\"code\":\"" + code + "\"}"), 409, "coupon-expired");
	}

	@Test
	void aBoundCouponIsRedeemedOnlyByItsCustomerAndNeverShowsItPublicly() throws Exception {
		MvcTestResult generated = post("/generate-coupon", "{\"customerId\":\"customer-7\"}");
		assertThat(generated).bodyJson().extractingPath("$.customerId").isEqualTo("customer-7");
		String code = CouponRequests.codeOf(generated);
		double mismatches = metric(
				"coupon_redemptions_total{application=\"coupon-service\",outcome=\"customer_mismatch\"}");

		MvcTestResult stranger = post("/redeem-coupon",
				"{\"code\":\"" + code + "\",\"reference\":\"order-1\",\"customerId\":\"customer-8\"}");
		assertProblem(stranger, 409, "coupon-customer-mismatch");
		assertProblem(post("/redeem-coupon", "{\"code\":\"" + code + "\",\"reference\":\"order-1\"}"), 409,
				"coupon-customer-mismatch");
		assertThat(post("/validate-coupon", "{\"code\":\"" + code + "\",\"customerId\":\"customer-8\"}")).bodyJson()
			.extractingPath("$.reason")
			.isEqualTo("customer_mismatch");
		MvcTestResult status = this.mvc.get().uri("/coupon-status").param("code", code).exchange();
		assertThat(status).bodyJson().extractingPath("$.customerBound").isEqualTo(true);
		assertThat(status.getResponse().getContentAsString()).doesNotContain("customer-7");
		assertThat(status).bodyJson().extractingPath("$.status").isEqualTo("UNUSED");

		assertThat(post("/redeem-coupon",
				"{\"code\":\"" + code + "\",\"reference\":\"order-1\",\"customerId\":\"customer-7\"}"))
			.hasStatus(HttpStatus.OK);
		assertThat(metric("coupon_redemptions_total{application=\"coupon-service\",outcome=\"customer_mismatch\"}")
				- mismatches)
			.isEqualTo(2);
		JsonNode bulk = body(post("/generate-coupons", "{\"count\":2,\"customerId\":\"customer-9\"}"));
		assertThat(bulk.get("customerId").asString()).isEqualTo("customer-9");
	}

	@Test
	void validationAnswersEveryReasonAndChangesNothing() throws Exception {
		String expired = generate("{\"ttl\":\"PT1S\"}");
		String voided = generate("{}");
		post("/void-coupon", "{\"code\":\"" + voided + "\"}");
		this.clock.advance(Duration.ofSeconds(2));

		assertThat(post("/validate-coupon", "{\"code\":\"ZZZZZZZZ\"}")).bodyJson()
			.isStrictlyEqualTo("{\"code\":\"ZZZZZZZZ\",\"valid\":false,\"reason\":\"not_found\"}");
		assertThat(post("/validate-coupon", "{\"code\":\"" + expired + "\"}")).bodyJson()
			.extractingPath("$.reason")
			.isEqualTo("expired");
		assertThat(post("/validate-coupon", "{\"code\":\"" + voided + "\"}")).bodyJson()
			.extractingPath("$.reason")
			.isEqualTo("void");
		assertProblem(post("/validate-coupon", "{\"code\":\"ABC\"}"), 400, "invalid-coupon-code");
		assertProblem(post("/validate-coupon", "{\"code\":\"" + voided + "\",\"customerId\":\"\"}"), 400,
				"invalid-field");
		assertThat(this.mvc.get().uri("/coupon-status").param("code", expired)).bodyJson()
			.extractingPath("$.status")
			.isEqualTo("EXPIRED");
		assertThat(kinds(voided)).containsExactly("GENERATED", "VOIDED", "VALIDATED");
	}

	@Test
	void theHistoryNamesWhoAndWhenOldestFirst() throws Exception {
		String code = generate("{}");
		this.mvc.post().uri("/redeem-coupon").with((request) -> {
			request.setRemoteAddr("198.18.0.9");
			return request;
		})
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"" + code + "\",\"reference\":\"order-9\",\"customerId\":\"customer-9\"}")
			.exchange();

		JsonNode events = body(this.mvc.get().uri("/coupons/{code}/events", code.toLowerCase()).exchange());

		assertThat(events.get("code").asString()).isEqualTo(code);
		assertThat(events.get("events").get(1).toString())
			.isEqualTo("{\"kind\":\"REDEEMED\",\"at\":\"" + this.clock.instant()
					+ "\",\"reference\":\"order-9\",\"customerId\":\"customer-9\",\"client\":\"198.18.0.9\"}");
		assertProblem(this.mvc.get().uri("/coupons/ZZZZZZZZ/events").exchange(), 404, "coupon-not-found");
		assertProblem(this.mvc.get().uri("/coupons/ABC/events").exchange(), 400, "invalid-coupon-code");
	}

	@Test
	void followingNextVisitsEveryCouponOfTheFilterOnceInCodeOrder() throws Exception {
		List<String> codes = new ArrayList<>();
		body(post("/generate-coupons", "{\"count\":25,\"campaign\":\"list-1\"}")).get("codes")
			.forEach((code) -> codes.add(code.asString()));
		String used = codes.get(3);
		post("/redeem-coupon", "{\"code\":\"" + used + "\",\"customerId\":\"customer-3\"}");

		List<String> visited = new ArrayList<>();
		String after = null;
		do {
			var request = this.mvc.get().uri("/coupons").param("campaign", "list-1").param("limit", "10");
			if (after != null) {
				request = request.param("after", after);
			}
			JsonNode page = body(request.exchange());
			page.get("coupons").forEach((coupon) -> visited.add(coupon.get("code").asString()));
			after = page.get("next").isNull() ? null : page.get("next").asString();
		}
		while (after != null);

		assertThat(visited).containsExactlyElementsOf(codes.stream().sorted().toList());
		JsonNode usedOnly = body(
				this.mvc.get().uri("/coupons").param("campaign", "list-1").param("status", "USED").exchange());
		assertThat(usedOnly.get("coupons")).hasSize(1);
		assertThat(usedOnly.get("coupons").get(0).get("customerId").asString()).isEqualTo("customer-3");
		assertThat(usedOnly.get("next").isNull()).isTrue();
		assertThat(body(this.mvc.get().uri("/coupons").param("customerId", "customer-3").exchange()).get("coupons")
			.get(0)
			.get("code")
			.asString()).isEqualTo(used);
	}

	@Test
	void aBadFilterIsNamed() {
		for (String[] bad : new String[][] { { "status", "SPENT" }, { "limit", "0" }, { "limit", "1001" },
				{ "limit", "ten" }, { "after", "ABC" }, { "campaign", "two words" }, { "customerId", "" } }) {
			MvcTestResult result = this.mvc.get().uri("/coupons").param(bad[0], bad[1]).exchange();
			assertProblem(result, 400, "invalid-field");
			assertThat(result).bodyJson().extractingPath("$.field").isEqualTo(bad[0]);
		}
	}

	@Test
	void csvExportStreamsEveryMatchingCoupon() throws Exception {
		List<String> codes = new ArrayList<>();
		body(post("/generate-coupons", "{\"count\":3,\"campaign\":\"csv-1\",\"customerId\":\"=cmd|x\"}")).get("codes")
			.forEach((code) -> codes.add(code.asString()));
		post("/redeem-coupon", "{\"code\":\"" + codes.get(0) + "\",\"customerId\":\"=cmd|x\"}");

		MvcTestResult csv = this.mvc.get().uri("/coupons").param("campaign", "csv-1").accept("text/csv").exchange();

		assertThat(csv).hasStatus(HttpStatus.OK).hasContentTypeCompatibleWith("text/csv");
		List<String> lines = csv.getResponse().getContentAsString().lines().toList();
		assertThat(lines.get(0)).isEqualTo("code,status,campaign,customerId,createdAt,expiresAt,redeemedAt,voidedAt");
		assertThat(lines).hasSize(4);
		assertThat(lines).filteredOn((line) -> line.startsWith(codes.get(0)))
			.singleElement()
			.isEqualTo(
					codes.get(0) + ",USED,csv-1,'=cmd|x," + this.clock.instant() + ",," + this.clock.instant() + ",");
	}

}
