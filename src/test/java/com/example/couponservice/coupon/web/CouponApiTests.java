package com.example.couponservice.coupon.web;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import com.example.couponservice.support.ServiceTest;
import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP contract of every endpoint, end to end through filters, controller, service
 * and store. Rate limits are raised here; their own tests live in the ratelimit package.
 */
@ServiceTest
class CouponApiTests {

	static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	String generate() {
		return CouponRequests.generate(this.mvc);
	}

	MvcTestResult redeem(String json) {
		return this.mvc.post().uri("/redeem-coupon").contentType(MediaType.APPLICATION_JSON).content(json).exchange();
	}

	MvcTestResult status(String code) {
		return this.mvc.get().uri("/coupon-status").param("code", code).exchange();
	}

	static void assertProblem(MvcTestResult result, int status, String type) {
		assertThat(result).hasStatus(status).hasContentTypeCompatibleWith(PROBLEM);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("/problems/" + type);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status);
		assertThat(result).bodyJson().extractingPath("$.title").asString().isNotBlank();
		assertThat(result).bodyJson().extractingPath("$.detail").asString().isNotBlank();
		assertThat(result.getResponse().getContentAsByteArray()).asString()
			.doesNotContain("Exception", "at com.", "at org.", "<html");
	}

	@Test
	void generateAnswers201WithLocationAndTheCode() {
		MvcTestResult result = this.mvc.post().uri("/generate-coupon").exchange();
		assertThat(result).hasStatus(HttpStatus.CREATED).hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON);
		String code = CouponRequests.codeOf(result);
		assertThat(code).matches("[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}");
		assertThat(result).bodyJson().isStrictlyEqualTo("{\"code\":\"" + code + "\"}");
	}

	@Test
	void generateAcceptsAnEmptyJsonBody() {
		assertThat(this.mvc.post().uri("/generate-coupon").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.hasStatus(HttpStatus.CREATED);
	}

	@Test
	void firstRedemptionAnswersTheSuccessMessageWithItsTimestamp() {
		String code = generate();
		MvcTestResult result = redeem("{\"code\":\"" + code + "\"}");
		assertThat(result).hasStatus(HttpStatus.OK);
		assertThat(result).bodyJson()
			.isStrictlyEqualTo("{\"message\":\"Coupon redeemed successfully\",\"code\":\"" + code
					+ "\",\"redeemedAt\":\"" + this.clock.instant() + "\",\"alreadyRedeemed\":false}");
	}

	@Test
	void repeatedRedemptionAnswers200WithTheOriginalTimestamp() {
		String code = generate();
		Instant first = this.clock.instant();
		redeem("{\"code\":\"" + code + "\"}");
		this.clock.advance(Duration.ofMinutes(2));
		MvcTestResult again = redeem("{\"code\":\"" + code.toLowerCase() + "\"}");
		assertThat(again).hasStatus(HttpStatus.OK);
		assertThat(again).bodyJson().extractingPath("$.alreadyRedeemed").isEqualTo(true);
		assertThat(again).bodyJson().extractingPath("$.redeemedAt").isEqualTo(first.toString());
		assertThat(again).bodyJson().extractingPath("$.message").isEqualTo("Coupon redeemed successfully");
	}

	@Test
	void redeemingAnUnknownCodeIs404() {
		assertProblem(redeem("{\"code\":\"ZZZZ-ZZZZ\"}"), 404, "coupon-not-found");
	}

	@Test
	void malformedRedeemRequestsAre400() {
		assertProblem(redeem("{\"code\":"), 400, "malformed-request");
		assertProblem(redeem(""), 400, "malformed-request");
		assertProblem(redeem("{}"), 400, "invalid-coupon-code");
		assertProblem(redeem("{\"code\":\"  \"}"), 400, "invalid-coupon-code");
		assertProblem(redeem("{\"code\":null}"), 400, "invalid-coupon-code");
		assertProblem(redeem("{\"code\":\"IIIIOOOO\"}"), 400, "invalid-coupon-code");
		assertProblem(redeem("{\"code\":12345678}"), 400, "malformed-request");
		assertProblem(redeem("{\"code\":[\"AAAAAAAA\"]}"), 400, "malformed-request");
		assertProblem(redeem("{\"code\":\"AAAAAAAA\",\"code\":\"BBBBBBBB\"}"), 400, "malformed-request");
		assertProblem(redeem("{\"code\":\"AAAAAAAA\"} trailing"), 400, "malformed-request");
		assertProblem(redeem("{\"code\":\"AAAAAAAA\",\"refrence\":\"typo\"}"), 400, "malformed-request");
	}

	@Test
	void aMalformedFieldIsNamedInTheProblem() {
		MvcTestResult result = redeem("{\"code\":true}");
		assertThat(result).bodyJson().extractingPath("$.field").isEqualTo("code");
		MvcTestResult unknown = redeem("{\"code\":\"AAAAAAAA\",\"refrence\":\"typo\"}");
		assertThat(unknown).bodyJson().extractingPath("$.detail").asString().contains("refrence");
	}

	@Test
	void redeemWithTheWrongContentTypeIs415() {
		assertProblem(this.mvc.post()
			.uri("/redeem-coupon")
			.contentType(MediaType.TEXT_PLAIN)
			.content("{\"code\":\"x\"}")
			.exchange(), 415, "unsupported-media-type");
		assertProblem(this.mvc.post().uri("/redeem-coupon").content("{\"code\":\"x\"}").exchange(), 415,
				"unsupported-media-type");
	}

	@Test
	void aBodyOver4KiBIs413() {
		String big = "{\"code\":\"AAAAAAAA\",\"reference\":\"" + "x".repeat(4100) + "\"}";
		assertProblem(redeem(big), 413, "payload-too-large");
	}

	@Test
	void aCompressedBodyIs415() {
		assertProblem(this.mvc.post()
			.uri("/redeem-coupon")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Content-Encoding", "gzip")
			.content("{\"code\":\"AAAAAAAA\"}")
			.exchange(), 415, "unsupported-media-type");
	}

	@Test
	void wrongMethodsAre405AndUnknownPathsAre404() {
		assertProblem(this.mvc.get().uri("/redeem-coupon").exchange(), 405, "method-not-allowed");
		assertProblem(this.mvc.get().uri("/generate-coupon").exchange(), 405, "method-not-allowed");
		assertProblem(this.mvc.put().uri("/coupon-status").exchange(), 405, "method-not-allowed");
		assertProblem(this.mvc.get().uri("/no-such-endpoint").exchange(), 404, "not-found");
	}

	@Test
	void statusReportsCreatedAtAndRedeemedAtOnlyOnceUsed() {
		String code = generate();
		Instant created = this.clock.instant();
		assertThat(status(code)).bodyJson()
			.isStrictlyEqualTo("{\"code\":\"" + code + "\",\"status\":\"UNUSED\",\"createdAt\":\"" + created + "\"}");
		this.clock.advance(Duration.ofSeconds(30));
		redeem("{\"code\":\"" + code + "\"}");
		assertThat(status(code.substring(0, 4) + " - " + code.substring(4).toLowerCase())).bodyJson()
			.isStrictlyEqualTo("{\"code\":\"" + code + "\",\"status\":\"USED\",\"createdAt\":\"" + created
					+ "\",\"redeemedAt\":\"" + this.clock.instant() + "\"}");
	}

	@Test
	void statusOfAnUnknownCodeIsNotFoundWith200() {
		MvcTestResult result = status("zzzz-zzzz");
		assertThat(result).hasStatus(HttpStatus.OK);
		assertThat(result).bodyJson().isStrictlyEqualTo("{\"code\":\"ZZZZZZZZ\",\"status\":\"NOT_FOUND\"}");
	}

	@Test
	void statusWithAMissingOrMalformedCodeIs400() {
		MvcTestResult missing = this.mvc.get().uri("/coupon-status").exchange();
		assertProblem(missing, 400, "missing-parameter");
		assertThat(missing).bodyJson().extractingPath("$.field").isEqualTo("code");
		assertProblem(status("ABC"), 400, "invalid-coupon-code");
		assertProblem(status(""), 400, "invalid-coupon-code");
		assertProblem(status("AB2C4XY0"), 400, "invalid-coupon-code");
	}

	@Test
	void statusByPostAnswersExactlyAsStatusByGet() throws Exception {
		String code = generate();
		redeem("{\"code\":\"" + code + "\"}");
		for (String typed : new String[] { code, code.toLowerCase(), "zzzz-zzzz" }) {
			MvcTestResult byGet = status(typed);
			MvcTestResult byPost = this.mvc.post()
				.uri("/coupon-status")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"code\":\"" + typed + "\"}")
				.exchange();
			assertThat(byPost).hasStatus(HttpStatus.OK);
			assertThat(byPost).bodyJson().isStrictlyEqualTo(byGet.getResponse().getContentAsString());
		}
		MvcTestResult malformed = this.mvc.post()
			.uri("/coupon-status")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"ABC\"}")
			.exchange();
		assertProblem(malformed, 400, "invalid-coupon-code");
		MvcTestResult missing = this.mvc.post()
			.uri("/coupon-status")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{}")
			.exchange();
		assertProblem(missing, 400, "invalid-coupon-code");
		assertThat(missing).bodyJson().extractingPath("$.field").isEqualTo("code");
	}

	@Test
	void aClientThatAcceptsOnlyCsvGetsA406ProblemFromJsonEndpoints() {
		assertProblem(this.mvc.get().uri("/coupon-status").param("code", "ABC").accept("text/csv").exchange(), 406,
				"not-acceptable");
	}

}
