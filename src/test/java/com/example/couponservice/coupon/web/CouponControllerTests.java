package com.example.couponservice.coupon.web;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponConflictException;
import com.example.couponservice.coupon.CouponNotFoundException;
import com.example.couponservice.coupon.CouponService;
import com.example.couponservice.coupon.CouponService.Redemption;
import com.example.couponservice.coupon.CouponStatus;
import com.example.couponservice.coupon.CouponTemplate;
import com.example.couponservice.coupon.StoreFullException;
import com.example.couponservice.web.JsonConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The controller and the problem mapping alone (a web slice): what reaches the service
 * from a request, and which problem document each of the service's exceptions becomes.
 * The rules themselves are the service's tests; the whole stack is
 * {@link CouponApiTests}.
 */
@WebMvcTest(CouponController.class)
@Import(JsonConfiguration.class)
class CouponControllerTests {

	private static final Instant AT = Instant.parse("2026-05-01T10:15:30.123Z");

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private CouponService service;

	private MvcTestResult redeem(String json, String... idempotencyKey) {
		return this.mvc.post().uri("/redeem-coupon").with((request) -> {
			request.setRemoteAddr("192.0.2.7");
			if (idempotencyKey.length > 0) {
				request.addHeader("Idempotency-Key", idempotencyKey[0]);
			}
			return request;
		}).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
	}

	private static Coupon used(String code) {
		return new Coupon(code, CouponStatus.USED, AT.minusSeconds(60), null, AT, null, "order-1", null, Map.of(), null,
				false, null, null);
	}

	@Test
	void redeemPassesTheIdempotencyKeyAsReferenceAndTheCallersAddress() {
		given(this.service.redeem("AB2C4XYZ", "order-1", null, "192.0.2.7"))
			.willReturn(new Redemption(used("AB2C4XYZ"), true));

		MvcTestResult result = redeem("{\"code\":\"AB2C4XYZ\"}", "order-1");

		assertThat(result).hasStatus(HttpStatus.OK);
		assertThat(result).bodyJson()
			.isStrictlyEqualTo("{\"message\":\"Coupon redeemed successfully\",\"code\":\"AB2C4XYZ\","
					+ "\"redeemedAt\":\"2026-05-01T10:15:30.123Z\",\"alreadyRedeemed\":true}");
	}

	@Test
	void aReferenceThatDiffersFromTheIdempotencyKeyIsRefusedBeforeTheService() {
		MvcTestResult result = redeem("{\"code\":\"AB2C4XYZ\",\"reference\":\"order-2\"}", "order-1");

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("/problems/invalid-field");
		assertThat(result).bodyJson().extractingPath("$.field").isEqualTo("reference");
		verify(this.service, never()).redeem(any(), any(), any(), any());
	}

	@Test
	void aConflictNamesTheCodeAndWhenTheBlockingChangeHappened() {
		given(this.service.redeem(eq("AB2C4XYZ"), any(), any(), any()))
			.willThrow(new CouponConflictException(CouponConflictException.Reason.ALREADY_REDEEMED, "AB2C4XYZ", AT,
					"coupon AB2C4XYZ was already redeemed"));

		MvcTestResult result = redeem("{\"code\":\"AB2C4XYZ\"}");

		assertThat(result).hasStatus(HttpStatus.CONFLICT).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("/problems/coupon-already-redeemed");
		assertThat(result).bodyJson().extractingPath("$.code").isEqualTo("AB2C4XYZ");
		assertThat(result).bodyJson().extractingPath("$.redeemedAt").isEqualTo("2026-05-01T10:15:30.123Z");
	}

	@Test
	void anExpiredOrVoidCouponHasItsOwnTypeAndTime() {
		given(this.service.redeem(eq("EXP22222"), any(), any(), any()))
			.willThrow(new CouponConflictException(CouponConflictException.Reason.EXPIRED, "EXP22222", AT, "expired"));
		given(this.service.redeem(eq("VOID2222"), any(), any(), any()))
			.willThrow(new CouponConflictException(CouponConflictException.Reason.VOID, "VOID2222", AT, "void"));

		MvcTestResult expired = redeem("{\"code\":\"EXP22222\"}");
		MvcTestResult voided = redeem("{\"code\":\"VOID2222\"}");

		assertThat(expired).bodyJson().extractingPath("$.type").isEqualTo("/problems/coupon-expired");
		assertThat(expired).bodyJson().extractingPath("$.expiresAt").isEqualTo("2026-05-01T10:15:30.123Z");
		assertThat(voided).bodyJson().extractingPath("$.type").isEqualTo("/problems/coupon-void");
		assertThat(voided).bodyJson().extractingPath("$.voidedAt").isEqualTo("2026-05-01T10:15:30.123Z");
	}

	@Test
	void anUnknownCodeIs404WithTheCode() {
		given(this.service.redeem(eq("ZZZZZZZZ"), any(), any(), any()))
			.willThrow(new CouponNotFoundException("ZZZZZZZZ"));

		MvcTestResult result = redeem("{\"code\":\"ZZZZZZZZ\"}");

		assertThat(result).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("/problems/coupon-not-found");
		assertThat(result).bodyJson().extractingPath("$.code").isEqualTo("ZZZZZZZZ");
	}

	@Test
	void aFullStoreIs507() {
		given(this.service.template(any(), any(), any(), any(), any()))
			.willReturn(new CouponTemplate(null, null, Map.of(), null));
		given(this.service.generate(any())).willThrow(new StoreFullException(20));

		MvcTestResult result = this.mvc.post().uri("/generate-coupon").exchange();

		assertThat(result).hasStatus(HttpStatus.INSUFFICIENT_STORAGE);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("/problems/store-full");
	}

	@Test
	void anUnknownFieldIsNamedWithoutReachingTheService() {
		MvcTestResult result = redeem("{\"code\":\"AB2C4XYZ\",\"refrence\":\"order-1\"}");

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("/problems/malformed-request");
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("unknown field 'refrence'");
		verify(this.service, never()).redeem(any(), any(), any(), any());
	}

	@Test
	void aWrongTypeNamesTheFieldAndWhatItMustBe() {
		MvcTestResult result = this.mvc.post()
			.uri("/generate-coupons")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"count\":\"ten\"}")
			.exchange();

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.field").isEqualTo("count");
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("field 'count' must be a whole number within range");
	}

	@Test
	void brokenJsonSaysWhereWithoutQuotingTheParser() {
		MvcTestResult result = redeem("{\"code\": \"AB2C4XYZ\",, }");

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("request body is not well-formed JSON at line 1, column ")
			.doesNotContain("`", "Exception", "tools.jackson");
	}

	@Test
	void aDuplicateKeyIsRefused() {
		MvcTestResult result = redeem("{\"code\":\"AB2C4XYZ\",\"code\":\"QR7T9WXY\"}");

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("/problems/malformed-request");
		verify(this.service, never()).redeem(any(), any(), any(), any());
	}

}
