package com.example.couponservice.coupon.web;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
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

import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponService;
import com.example.couponservice.coupon.CouponService.Redemption;
import com.example.couponservice.coupon.CouponStatus;
import com.example.couponservice.coupon.CouponTemplate;
import com.example.couponservice.coupon.InvalidFieldException;
import com.example.couponservice.coupon.web.CouponEndpoint.Paths;
import com.example.couponservice.web.ClientAddress;

/**
 * The coupon API over HTTP: translates requests to {@link CouponService} calls and
 * results to JSON. Errors become problem documents in {@link CouponExceptionHandler}.
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
	@PostMapping(path = Paths.GENERATE, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<GenerateResponse> generate(@RequestBody(required = false) @Nullable GenerateRequest request) {
		GenerateRequest options = (request != null) ? request : GenerateRequest.NONE;
		Coupon coupon = this.service.generate(this.service.template(instant("expiresAt", options.expiresAt()),
				duration("ttl", options.ttl()), options.campaign(), options.metadata()));
		return ResponseEntity.created(URI.create(Paths.STATUS + "?code=" + coupon.code()))
			.body(new GenerateResponse(coupon.code(), coupon.expiresAt(), coupon.campaign()));
	}

	@Operation(summary = "Generate 1 to 10,000 coupons at once (admin)",
			description = "All codes are distinct and stored before the response is sent; the request is all or "
					+ "nothing. With Accept: text/csv the answer is one code per line under a 'code' header.")
	@ResponseStatus(HttpStatus.CREATED)
	@PostMapping(path = Paths.GENERATE_BULK, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BulkGenerateResponse> generateBulk(@RequestBody BulkGenerateRequest request) {
		List<String> codes = bulk(request);
		return ResponseEntity.status(HttpStatus.CREATED).body(new BulkGenerateResponse(codes.size(), codes));
	}

	@Operation(hidden = true)
	@PostMapping(path = Paths.GENERATE_BULK, produces = "text/csv")
	ResponseEntity<String> generateBulkCsv(@RequestBody BulkGenerateRequest request) {
		List<String> codes = bulk(request);
		StringBuilder csv = new StringBuilder(10 + codes.size() * 10).append("code\n");
		codes.forEach((code) -> csv.append(code).append('\n'));
		return ResponseEntity.status(HttpStatus.CREATED).contentType(TEXT_CSV).body(csv.toString());
	}

	private List<String> bulk(BulkGenerateRequest request) {
		Integer count = request.count();
		if (count == null) {
			throw new InvalidFieldException("count", "count is required");
		}
		CouponTemplate template = this.service.template(instant("expiresAt", request.expiresAt()),
				duration("ttl", request.ttl()), request.campaign(), request.metadata());
		return this.service.generateBulk(count, template).stream().map(Coupon::code).toList();
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
	@PostMapping(path = Paths.REDEEM, consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	RedeemResponse redeem(@RequestBody RedeemRequest request,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
			HttpServletRequest http) {
		String reference = request.reference();
		if (idempotencyKey != null) {
			if (reference != null && !reference.equals(idempotencyKey)) {
				throw new InvalidFieldException("reference",
						"reference and the Idempotency-Key header differ; send one of them, or the same value");
			}
			reference = idempotencyKey;
		}
		Redemption redemption = this.service.redeem(request.code(), reference, ClientAddress.of(http));
		Coupon coupon = redemption.coupon();
		return new RedeemResponse("Coupon redeemed successfully", coupon.code(),
				Objects.requireNonNull(coupon.redeemedAt()), redemption.alreadyRedeemed());
	}

	@Operation(summary = "Look a coupon up",
			description = "Unknown codes answer 200 with status NOT_FOUND. Each caller has 60 lookups per minute.")
	@GetMapping(path = Paths.STATUS, produces = MediaType.APPLICATION_JSON_VALUE)
	CouponStatusResponse status(@Parameter(description = "the code, as typed: case, spaces and '-' are ignored",
			example = "AB2C-4XYZ") @RequestParam String code) {
		return CouponStatusResponse.of(this.service.status(code));
	}

	@Operation(summary = "Look a coupon up, the code in the body",
			description = "The same answers as GET /coupon-status, and the same budget; the code stays out of the "
					+ "URL, and so out of proxy and ingress access logs.")
	@PostMapping(path = Paths.STATUS, consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	CouponStatusResponse statusByBody(@RequestBody StatusRequest request) {
		return CouponStatusResponse.of(this.service.status(request.code()));
	}

	@Operation(summary = "Void an unused coupon (admin)",
			description = "Voiding a void coupon again answers 200; voiding a used one is 409.")
	@PostMapping(path = Paths.VOID, consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	CouponStatusResponse voidCoupon(@RequestBody VoidRequest request, HttpServletRequest http) {
		Coupon coupon = this.service.voidCoupon(request.code(), ClientAddress.of(http));
		return CouponStatusResponse.of(coupon, CouponStatus.VOID);
	}

	@Operation(summary = "Count a campaign's coupons by status (admin)")
	@GetMapping(path = Paths.CAMPAIGN_STATS, produces = MediaType.APPLICATION_JSON_VALUE)
	CampaignStatsResponse campaignStats(@PathVariable String campaign) {
		Map<CouponStatus, Long> counts = this.service.campaignStats(campaign);
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		return new CampaignStatsResponse(campaign, total, counts);
	}

}
