package com.example.couponservice.coupon;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.example.couponservice.coupon.CouponService.Lookup;
import com.example.couponservice.coupon.CouponService.Redemption;

/**
 * The HTTP surface: translates requests to {@link CouponService} calls and results to
 * JSON. Errors become problem documents in the web package's exception handler.
 */
@RestController
class CouponController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

	private final CouponService service;

	CouponController(CouponService service) {
		this.service = service;
	}

	@PostMapping(path = "/generate-coupon", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<GenerateResponse> generate(@RequestBody(required = false) @Nullable GenerateRequest request) {
		GenerateRequest options = (request != null) ? request : GenerateRequest.NONE;
		Coupon coupon = this.service.generate(this.service.template(options.expiresAt(), options.ttl(),
				options.campaign(), options.metadata()));
		return ResponseEntity.created(URI.create("/coupon-status?code=" + coupon.code()))
			.body(new GenerateResponse(coupon.code(), coupon.expiresAt(), coupon.campaign()));
	}

	@PostMapping(path = "/generate-coupons", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BulkGenerateResponse> generateBulk(@RequestBody BulkGenerateRequest request) {
		List<String> codes = bulk(request);
		return ResponseEntity.status(HttpStatus.CREATED).body(new BulkGenerateResponse(codes.size(), codes));
	}

	@PostMapping(path = "/generate-coupons", produces = "text/csv")
	ResponseEntity<String> generateBulkCsv(@RequestBody BulkGenerateRequest request) {
		List<String> codes = bulk(request);
		StringBuilder csv = new StringBuilder(10 + codes.size() * 10).append("code\n");
		codes.forEach((code) -> csv.append(code).append('\n'));
		return ResponseEntity.status(HttpStatus.CREATED).contentType(TEXT_CSV).body(csv.toString());
	}

	private List<String> bulk(BulkGenerateRequest request) {
		if (request.count() == null) {
			throw new InvalidFieldException("count", "count is required");
		}
		CouponTemplate template = this.service.template(request.expiresAt(), request.ttl(), request.campaign(),
				request.metadata());
		return this.service.generateBulk(request.count(), template).stream().map(Coupon::code).toList();
	}

	@PostMapping(path = "/redeem-coupon", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	RedeemResponse redeem(@RequestBody RedeemRequest request,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey) {
		String reference = request.reference();
		if (idempotencyKey != null) {
			if (reference != null && !reference.equals(idempotencyKey)) {
				throw new InvalidFieldException("reference",
						"reference and the Idempotency-Key header differ; send one of them, or the same value");
			}
			reference = idempotencyKey;
		}
		Redemption redemption = this.service.redeem(request.code(), reference);
		Coupon coupon = redemption.coupon();
		return new RedeemResponse("Coupon redeemed successfully", coupon.code(),
				Objects.requireNonNull(coupon.redeemedAt()), redemption.alreadyRedeemed());
	}

	@GetMapping(path = "/coupon-status", produces = MediaType.APPLICATION_JSON_VALUE)
	CouponStatusResponse status(@RequestParam String code) {
		Lookup lookup = this.service.status(code);
		return CouponStatusResponse.of(lookup);
	}

	@PostMapping(path = "/void-coupon", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	CouponStatusResponse voidCoupon(@RequestBody VoidRequest request) {
		Coupon coupon = this.service.voidCoupon(request.code());
		return CouponStatusResponse.of(new Lookup(coupon.code(), CouponStatus.VOID, coupon));
	}

	@GetMapping(path = "/campaigns/{campaign}/stats", produces = MediaType.APPLICATION_JSON_VALUE)
	CampaignStatsResponse campaignStats(@PathVariable String campaign) {
		Map<CouponStatus, Long> counts = this.service.campaignStats(campaign);
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		return new CampaignStatsResponse(campaign, total, counts);
	}

	/** Body of {@code POST /generate-coupon}; every field is optional. */
	record GenerateRequest(@Nullable Instant expiresAt, @Nullable Duration ttl, @Nullable String campaign,
			@Nullable Map<String, String> metadata) {

		static final GenerateRequest NONE = new GenerateRequest(null, null, null, null);

	}

	/** Body of {@code POST /generate-coupons}. */
	record BulkGenerateRequest(@Nullable Integer count, @Nullable Instant expiresAt, @Nullable Duration ttl,
			@Nullable String campaign, @Nullable Map<String, String> metadata) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record GenerateResponse(String code, @Nullable Instant expiresAt, @Nullable String campaign) {
	}

	record BulkGenerateResponse(int count, List<String> codes) {
	}

	/** Body of {@code POST /redeem-coupon}. */
	record RedeemRequest(@Nullable String code, @Nullable String reference) {
	}

	record RedeemResponse(String message, String code, Instant redeemedAt, boolean alreadyRedeemed) {
	}

	/** Body of {@code POST /void-coupon}. */
	record VoidRequest(@Nullable String code) {
	}

	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	record CouponStatusResponse(String code, CouponStatus status, @Nullable Instant createdAt,
			@Nullable Instant expiresAt, @Nullable Instant redeemedAt, @Nullable Instant voidedAt,
			@Nullable String campaign, @Nullable Map<String, String> metadata) {

		static CouponStatusResponse of(Lookup lookup) {
			Coupon coupon = lookup.coupon();
			if (coupon == null) {
				return new CouponStatusResponse(lookup.code(), lookup.status(), null, null, null, null, null, null);
			}
			return new CouponStatusResponse(lookup.code(), lookup.status(), coupon.createdAt(), coupon.expiresAt(),
					coupon.redeemedAt(), coupon.voidedAt(), coupon.campaign(), coupon.metadata());
		}

	}

	record CampaignStatsResponse(String campaign, long total, Map<CouponStatus, Long> counts) {
	}

}
