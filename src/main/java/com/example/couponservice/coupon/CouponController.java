package com.example.couponservice.coupon;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.example.couponservice.coupon.CouponService.Lookup;
import com.example.couponservice.coupon.CouponService.Redemption;

/**
 * The HTTP surface: translates requests to {@link CouponService} calls and results to
 * JSON. Errors become problem documents in the web package's exception handler.
 */
@RestController
@Tag(name = "coupons", description = "Generate, redeem and look up single-use coupon codes")
class CouponController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

	private final CouponService service;

	CouponController(CouponService service) {
		this.service = service;
	}

	@Operation(summary = "Generate one coupon (admin)",
			description = "The body is optional: without one the coupon never expires and has no campaign. "
					+ "Answers 201 with Location /coupon-status?code=CODE.")
	@ResponseStatus(HttpStatus.CREATED)
	@PostMapping(path = "/generate-coupon", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<GenerateResponse> generate(@RequestBody(required = false) @Nullable GenerateRequest request) {
		GenerateRequest options = (request != null) ? request : GenerateRequest.NONE;
		Coupon coupon = this.service.generate(this.service.template(instant("expiresAt", options.expiresAt()),
				duration("ttl", options.ttl()), options.campaign(), options.metadata()));
		return ResponseEntity.created(URI.create("/coupon-status?code=" + coupon.code()))
			.body(new GenerateResponse(coupon.code(), coupon.expiresAt(), coupon.campaign()));
	}

	@Operation(summary = "Generate 1 to 10,000 coupons at once (admin)",
			description = "All codes are distinct and stored before the response is sent; the request is all or "
					+ "nothing. With Accept: text/csv the answer is one code per line under a 'code' header.")
	@ResponseStatus(HttpStatus.CREATED)
	@PostMapping(path = "/generate-coupons", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BulkGenerateResponse> generateBulk(@RequestBody BulkGenerateRequest request) {
		List<String> codes = bulk(request);
		return ResponseEntity.status(HttpStatus.CREATED).body(new BulkGenerateResponse(codes.size(), codes));
	}

	@Operation(hidden = true)
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
		CouponTemplate template = this.service.template(instant("expiresAt", request.expiresAt()),
				duration("ttl", request.ttl()), request.campaign(), request.metadata());
		return this.service.generateBulk(request.count(), template).stream().map(Coupon::code).toList();
	}

	/** ISO-8601 only: a bare number would otherwise be read as epoch seconds. */
	@Nullable private static Instant instant(String field, @Nullable String text) {
		try {
			return (text != null) ? Instant.parse(text) : null;
		}
		catch (DateTimeParseException ex) {
			throw new InvalidFieldException(field,
					field + " must be an ISO-8601 instant such as \"2026-12-31T23:59:59Z\"");
		}
	}

	/** ISO-8601 only: a bare number would otherwise be read as seconds. */
	@Nullable private static Duration duration(String field, @Nullable String text) {
		try {
			return (text != null) ? Duration.parse(text) : null;
		}
		catch (DateTimeParseException ex) {
			throw new InvalidFieldException(field, field + " must be an ISO-8601 duration such as \"P30D\"");
		}
	}

	@Operation(summary = "Redeem a coupon once",
			description = "The first redemption answers alreadyRedeemed:false. A repeat by the same caller (the same "
					+ "reference or Idempotency-Key, or none both times) answers 200 with alreadyRedeemed:true and the "
					+ "original redeemedAt; any other repeat is 409 and changes nothing. Every attempt spends one of "
					+ "the caller's 5 redemptions per minute.")
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

	@Operation(summary = "Look a coupon up",
			description = "Unknown codes answer 200 with status NOT_FOUND. Each caller has 60 lookups per minute.")
	@GetMapping(path = "/coupon-status", produces = MediaType.APPLICATION_JSON_VALUE)
	CouponStatusResponse status(@Parameter(description = "the code, as typed: case, spaces and '-' are ignored",
			example = "AB2C-4XYZ") @RequestParam String code) {
		Lookup lookup = this.service.status(code);
		return CouponStatusResponse.of(lookup);
	}

	@Operation(summary = "Void an unused coupon (admin)",
			description = "Voiding a void coupon again answers 200; voiding a used one is 409.")
	@PostMapping(path = "/void-coupon", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	CouponStatusResponse voidCoupon(@RequestBody VoidRequest request) {
		Coupon coupon = this.service.voidCoupon(request.code());
		return CouponStatusResponse.of(new Lookup(coupon.code(), CouponStatus.VOID, coupon));
	}

	@Operation(summary = "Count a campaign's coupons by status (admin)")
	@GetMapping(path = "/campaigns/{campaign}/stats", produces = MediaType.APPLICATION_JSON_VALUE)
	CampaignStatsResponse campaignStats(@PathVariable String campaign) {
		Map<CouponStatus, Long> counts = this.service.campaignStats(campaign);
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		return new CampaignStatsResponse(campaign, total, counts);
	}

	/** Body of {@code POST /generate-coupon}; every field is optional. */
	record GenerateRequest(
			@Schema(description = "when the coupon expires; give this or ttl, in the future",
					example = "2026-12-31T23:59:59Z", format = "date-time") @Nullable String expiresAt,
			@Schema(description = "lifetime as an ISO-8601 duration", example = "P30D",
					format = "duration") @Nullable String ttl,
			@Schema(description = "1 to 64 of A-Z a-z 0-9 _ . -",
					example = "black-friday-2026") @Nullable String campaign,
			@Schema(description = "up to 16 string entries; keys up to 40, values up to 256 characters",
					example = "{\"channel\":\"email\"}") @Nullable Map<String, String> metadata) {

		static final GenerateRequest NONE = new GenerateRequest(null, null, null, null);

	}

	/** Body of {@code POST /generate-coupons}. */
	record BulkGenerateRequest(
			@Schema(description = "how many coupons, 1 to 10,000", example = "500",
					requiredMode = Schema.RequiredMode.REQUIRED) @Nullable Integer count,
			@Schema(example = "2026-12-31T23:59:59Z", format = "date-time") @Nullable String expiresAt,
			@Schema(example = "P30D", format = "duration") @Nullable String ttl,
			@Schema(example = "black-friday-2026") @Nullable String campaign, @Nullable Map<String, String> metadata) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record GenerateResponse(@Schema(example = "AB2C4XYZ") String code,
			@Schema(description = "present when the coupon expires") @Nullable Instant expiresAt,
			@Schema(description = "present when given") @Nullable String campaign) {
	}

	record BulkGenerateResponse(@Schema(example = "2") int count,
			@Schema(example = "[\"AB2C4XYZ\",\"QR7T9WXY\"]") List<String> codes) {
	}

	/** Body of {@code POST /redeem-coupon}. */
	record RedeemRequest(
			@Schema(description = "the code; case, spaces and '-' are ignored", example = "AB2C4XYZ",
					requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String code,
			@Schema(description = "the caller's order or customer id, 1 to 64 printable characters; a repeat with "
					+ "the same reference is a retry", example = "order-10045") @Nullable String reference) {
	}

	record RedeemResponse(@Schema(example = "Coupon redeemed successfully") String message,
			@Schema(example = "AB2C4XYZ") String code,
			@Schema(description = "when it was first redeemed",
					example = "2026-11-26T10:15:30.123Z") Instant redeemedAt,
			@Schema(description = "true when this answer repeats an earlier redemption by the same caller",
					example = "false") boolean alreadyRedeemed) {
	}

	/** Body of {@code POST /void-coupon}. */
	record VoidRequest(
			@Schema(example = "AB2C4XYZ", requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String code) {
	}

	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	@Schema(description = "Fields a coupon does not have are omitted")
	record CouponStatusResponse(@Schema(example = "AB2C4XYZ") String code,
			@Schema(example = "UNUSED") CouponStatus status, @Nullable Instant createdAt, @Nullable Instant expiresAt,
			@Nullable Instant redeemedAt, @Nullable Instant voidedAt, @Nullable String campaign,
			@Nullable Map<String, String> metadata) {

		static CouponStatusResponse of(Lookup lookup) {
			Coupon coupon = lookup.coupon();
			if (coupon == null) {
				return new CouponStatusResponse(lookup.code(), lookup.status(), null, null, null, null, null, null);
			}
			return new CouponStatusResponse(lookup.code(), lookup.status(), coupon.createdAt(), coupon.expiresAt(),
					coupon.redeemedAt(), coupon.voidedAt(), coupon.campaign(), coupon.metadata());
		}

	}

	record CampaignStatsResponse(@Schema(example = "black-friday-2026") String campaign,
			@Schema(example = "3") long total,
			@Schema(example = "{\"UNUSED\":1,\"USED\":1,\"EXPIRED\":0,\"VOID\":1}") Map<CouponStatus, Long> counts) {
	}

}
