package com.example.couponservice.coupon.web;

import java.io.IOException;
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
import jakarta.servlet.http.HttpServletResponse;
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
import com.example.couponservice.coupon.CouponCode;
import com.example.couponservice.coupon.CouponEvent;
import com.example.couponservice.coupon.CouponQuery;
import com.example.couponservice.coupon.CouponService.Page;
import com.example.couponservice.coupon.CouponService.Redemption;
import com.example.couponservice.coupon.CouponService.Reversal;
import com.example.couponservice.coupon.CouponService.Validation;
import com.example.couponservice.coupon.CouponStatus;
import com.example.couponservice.coupon.CouponTemplate;
import com.example.couponservice.coupon.InvalidFieldException;
import com.example.couponservice.coupon.ValidationOutcome;
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

	/** Coupons per page of a listing without a limit. */
	static final int DEFAULT_PAGE = 100;

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
				duration("ttl", options.ttl()), options.campaign(), options.metadata(), options.customerId()));
		return ResponseEntity.created(URI.create(Paths.STATUS + "?code=" + coupon.code()))
			.body(new GenerateResponse(coupon.code(), coupon.expiresAt(), coupon.campaign(),
					coupon.customerBound() ? coupon.customerId() : null));
	}

	@Operation(summary = "Generate 1 to 10,000 coupons at once (admin)",
			description = "All codes are distinct and stored before the response is sent; the request is all or "
					+ "nothing. With Accept: text/csv the answer is one code per line under a 'code' header.")
	@ResponseStatus(HttpStatus.CREATED)
	@PostMapping(path = Paths.GENERATE_BULK, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BulkGenerateResponse> generateBulk(@RequestBody BulkGenerateRequest request) {
		List<String> codes = bulk(request);
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new BulkGenerateResponse(codes.size(), codes, request.customerId()));
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
				duration("ttl", request.ttl()), request.campaign(), request.metadata(), request.customerId());
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
		Redemption redemption = this.service.redeem(request.code(), reference, request.customerId(),
				ClientAddress.of(http));
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

	@Operation(summary = "Tell whether a redemption would succeed now, without redeeming",
			description = "Answers 200 with valid true or false and, when false, the reason. Changes nothing but "
					+ "the coupon's history, and spends one of the caller's redemption attempts: otherwise it would "
					+ "be a free oracle for guessing codes.")
	@PostMapping(path = Paths.VALIDATE, consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	ValidateResponse validate(@RequestBody ValidateRequest request, HttpServletRequest http) {
		Validation validation = this.service.validate(request.code(), request.customerId(), ClientAddress.of(http));
		Coupon coupon = validation.coupon();
		boolean valid = validation.outcome() == ValidationOutcome.VALID;
		return new ValidateResponse(validation.code(), valid, valid ? null : CouponEvent.tag(validation.outcome()),
				(coupon != null) ? coupon.expiresAt() : null, (coupon != null) ? coupon.campaign() : null);
	}

	@Operation(summary = "Give a redeemed coupon back (admin)",
			description = "For a cancelled order or a failed payment: the coupon is unused again (or expired, if "
					+ "its time has passed) and can be redeemed anew. The reference must be the redemption's. A "
					+ "repeat of the same reversal answers 200 with alreadyReversed:true.")
	@PostMapping(path = Paths.REVERSE, consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	ReverseResponse reverse(@RequestBody ReverseRequest request, HttpServletRequest http) {
		Reversal reversal = this.service.reverse(request.code(), request.reference(), request.reason(),
				ClientAddress.of(http));
		Coupon coupon = reversal.coupon();
		Instant reversedAt = Objects.requireNonNull(coupon.reversedAt());
		return new ReverseResponse(coupon.code(), coupon.statusAt(reversedAt).name(), reversedAt,
				reversal.alreadyReversed());
	}

	@Operation(summary = "A coupon's history, oldest first (admin)",
			description = "Every change and every redemption attempt, with who and when; at most "
					+ "coupon.events.max-per-coupon events: the GENERATED one and the latest others.")
	@GetMapping(path = Paths.EVENTS, produces = MediaType.APPLICATION_JSON_VALUE)
	EventsResponse events(@PathVariable String code) {
		List<CouponEvent> events = this.service.events(code);
		return new EventsResponse(CouponCode.normalise(code), events.stream().map(EventResponse::of).toList());
	}

	@Operation(summary = "List coupons in code order, a page at a time (admin)",
			description = "Optional filters campaign, status, customerId; limit 1 to 1,000 (default 100); after: "
					+ "the next of the previous page. Following next until it is null visits every matching "
					+ "coupon once. With Accept: text/csv, every matching coupon at once, streamed.")
	@GetMapping(path = Paths.LIST, produces = MediaType.APPLICATION_JSON_VALUE)
	ListResponse list(@RequestParam(required = false) @Nullable String campaign,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String customerId,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String after) {
		Page page = this.service.list(query(campaign, status, customerId), after, limit(limit));
		return new ListResponse(page.coupons().stream().map(CouponResponse::of).toList(), page.next());
	}

	@Operation(hidden = true)
	@GetMapping(path = Paths.LIST, produces = "text/csv")
	void export(@RequestParam(required = false) @Nullable String campaign,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String customerId, HttpServletResponse response)
			throws IOException {
		CouponQuery query = query(campaign, status, customerId);
		response.setContentType("text/csv;charset=UTF-8");
		CouponCsv.export(this.service, query, response.getWriter());
	}

	private static CouponQuery query(@Nullable String campaign, @Nullable String status, @Nullable String customerId) {
		CouponStatus parsed = null;
		if (status != null) {
			try {
				parsed = CouponStatus.valueOf(status);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidFieldException("status", "status must be UNUSED, USED, EXPIRED or VOID");
			}
		}
		return new CouponQuery(campaign, parsed, customerId);
	}

	private static int limit(@Nullable String limit) {
		if (limit == null) {
			return DEFAULT_PAGE;
		}
		try {
			return Integer.parseInt(limit);
		}
		catch (NumberFormatException ex) {
			throw new InvalidFieldException("limit", "limit must be a whole number between 1 and 1000");
		}
	}

	@Operation(summary = "Count a campaign's coupons by status (admin)")
	@GetMapping(path = Paths.CAMPAIGN_STATS, produces = MediaType.APPLICATION_JSON_VALUE)
	CampaignStatsResponse campaignStats(@PathVariable String campaign) {
		Map<CouponStatus, Long> counts = this.service.campaignStats(campaign);
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		return new CampaignStatsResponse(campaign, total, counts);
	}

}
