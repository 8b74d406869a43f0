package com.example.couponservice.coupon.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.example.couponservice.web.HttpProblem;
import com.example.couponservice.web.ProblemType;
import com.example.couponservice.web.RequestPaths;

import static com.example.couponservice.coupon.web.CouponProblem.COUPON_ALREADY_REDEEMED;
import static com.example.couponservice.coupon.web.CouponProblem.COUPON_CUSTOMER_MISMATCH;
import static com.example.couponservice.coupon.web.CouponProblem.COUPON_EXPIRED;
import static com.example.couponservice.coupon.web.CouponProblem.COUPON_NOT_FOUND;
import static com.example.couponservice.coupon.web.CouponProblem.COUPON_NOT_REDEEMED;
import static com.example.couponservice.coupon.web.CouponProblem.REFERENCE_MISMATCH;
import static com.example.couponservice.coupon.web.CouponProblem.COUPON_VOID;
import static com.example.couponservice.coupon.web.CouponProblem.INVALID_COUPON_CODE;
import static com.example.couponservice.coupon.web.CouponProblem.STORE_FULL;
import static com.example.couponservice.web.HttpProblem.BAD_REQUEST;
import static com.example.couponservice.web.HttpProblem.INVALID_FIELD;
import static com.example.couponservice.web.HttpProblem.MISSING_PARAMETER;

/**
 * Every operation of the coupon API, in one table: its method and path, whether it needs
 * the admin token, which rate-limit budget it spends, and the problems particular to it.
 * The controller maps exactly these paths (from {@link Paths}); the admin-token filter,
 * the rate-limit filter and the API description read the rest from here, so adding an
 * endpoint is one row, and no filter can guard a path the controller does not serve.
 */
public enum CouponEndpoint {

	GENERATE(HttpMethod.POST, Paths.GENERATE, Access.ADMIN, Budget.GENERATE, Body.GENERATION, Effect.WRITE,
			INVALID_FIELD, STORE_FULL),

	GENERATE_BULK(HttpMethod.POST, Paths.GENERATE_BULK, Access.ADMIN, Budget.GENERATE, Body.GENERATION, Effect.WRITE,
			INVALID_FIELD, STORE_FULL),

	REDEEM(HttpMethod.POST, Paths.REDEEM, Access.PUBLIC, Budget.REDEEM, Body.JSON, Effect.WRITE, INVALID_COUPON_CODE,
			INVALID_FIELD, COUPON_NOT_FOUND, COUPON_ALREADY_REDEEMED, COUPON_EXPIRED, COUPON_VOID,
			COUPON_CUSTOMER_MISMATCH),

	STATUS(HttpMethod.GET, Paths.STATUS, Access.PUBLIC, Budget.STATUS, Body.NONE, Effect.READ, INVALID_COUPON_CODE,
			MISSING_PARAMETER, BAD_REQUEST),

	/** The status lookup with the code in the body, out of access logs. */
	STATUS_BY_BODY(HttpMethod.POST, Paths.STATUS, Access.PUBLIC, Budget.STATUS, Body.JSON, Effect.READ,
			INVALID_COUPON_CODE),

	VOID(HttpMethod.POST, Paths.VOID, Access.ADMIN, null, Body.JSON, Effect.WRITE, INVALID_COUPON_CODE,
			COUPON_NOT_FOUND, COUPON_ALREADY_REDEEMED),

	CAMPAIGN_STATS(HttpMethod.GET, Paths.CAMPAIGN_STATS, Access.ADMIN, null, Body.NONE, Effect.READ, INVALID_FIELD),

	/** Validation spends the redemption budget: otherwise it would be a free oracle. */
	VALIDATE(HttpMethod.POST, Paths.VALIDATE, Access.PUBLIC, Budget.REDEEM, Body.JSON, Effect.READ, INVALID_COUPON_CODE,
			INVALID_FIELD),

	REVERSE(HttpMethod.POST, Paths.REVERSE, Access.ADMIN, null, Body.JSON, Effect.WRITE, INVALID_COUPON_CODE,
			INVALID_FIELD, COUPON_NOT_FOUND, REFERENCE_MISMATCH, COUPON_NOT_REDEEMED, COUPON_VOID),

	EVENTS(HttpMethod.GET, Paths.EVENTS, Access.ADMIN, null, Body.NONE, Effect.READ, INVALID_COUPON_CODE,
			COUPON_NOT_FOUND),

	LIST(HttpMethod.GET, Paths.LIST, Access.ADMIN, null, Body.NONE, Effect.READ, INVALID_FIELD);

	private static final List<CouponEndpoint> ALL = List.of(values());

	private final HttpMethod method;

	private final String path;

	private final PathPattern pattern;

	private final Access access;

	@Nullable private final Budget budget;

	private final Body body;

	private final Effect effect;

	private final List<ProblemType> problems;

	CouponEndpoint(HttpMethod method, String path, Access access, @Nullable Budget budget, Body body, Effect effect,
			ProblemType... particular) {
		this.method = method;
		this.path = path;
		this.pattern = PathPatternParser.defaultInstance.parse(path);
		this.access = access;
		this.budget = budget;
		this.body = body;
		this.effect = effect;
		this.problems = problems(access, budget, body, particular);
	}

	/** What every operation can answer, then what this kind of operation adds. */
	private static List<ProblemType> problems(Access access, @Nullable Budget budget, Body body,
			ProblemType... particular) {
		List<ProblemType> all = new ArrayList<>(List.of(particular));
		all.addAll(
				List.of(HttpProblem.METHOD_NOT_ALLOWED, HttpProblem.NOT_ACCEPTABLE, HttpProblem.SERVICE_UNAVAILABLE));
		if (body != Body.NONE) {
			all.addAll(List.of(HttpProblem.MALFORMED_REQUEST, HttpProblem.PAYLOAD_TOO_LARGE,
					HttpProblem.UNSUPPORTED_MEDIA_TYPE));
		}
		if (access == Access.ADMIN) {
			all.add(HttpProblem.UNAUTHORIZED);
		}
		if (budget != null) {
			all.add(HttpProblem.RATE_LIMITED);
		}
		return List.copyOf(all);
	}

	public HttpMethod method() {
		return this.method;
	}

	/** The path as mapped, e.g. {@code /campaigns/{campaign}/stats}. */
	public String path() {
		return this.path;
	}

	public boolean isAdmin() {
		return this.access == Access.ADMIN;
	}

	/**
	 * Whether the operation changes coupons, so that a request cut off by a database
	 * failure may or may not have taken effect.
	 */
	public boolean changesCoupons() {
		return this.effect == Effect.WRITE;
	}

	/** The budget a request spends, or {@code null} for an endpoint without one. */
	@Nullable public Budget budget() {
		return this.budget;
	}

	/** The largest request body {@code request} may have. */
	public static int maxBodyBytes(HttpServletRequest request) {
		CouponEndpoint endpoint = of(request);
		return (endpoint != null) ? endpoint.body.maxBytes : Body.JSON.maxBytes;
	}

	/** The problem types this operation can answer with. */
	public List<ProblemType> problems() {
		return this.problems;
	}

	/** The operation {@code request} calls, or {@code null} when it calls none. */
	@Nullable public static CouponEndpoint of(HttpServletRequest request) {
		String method = request.getMethod();
		// Spring MVC answers HEAD with its GET handler.
		HttpMethod effective = "HEAD".equals(method) ? HttpMethod.GET : HttpMethod.valueOf(method);
		PathContainer path = RequestPaths.of(request);
		for (CouponEndpoint endpoint : ALL) {
			if (endpoint.method.equals(effective) && endpoint.pattern.matches(path)) {
				return endpoint;
			}
		}
		return null;
	}

	/**
	 * Whether {@code request} is for the path of an admin operation, whatever its method:
	 * a wrong method on an admin path is refused for the missing token first.
	 */
	public static boolean isAdminPath(HttpServletRequest request) {
		PathContainer path = RequestPaths.of(request);
		for (CouponEndpoint endpoint : ALL) {
			if (endpoint.isAdmin() && endpoint.pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	/** Whether an operation changes coupons. */
	private enum Effect {

		READ, WRITE

	}

	/** Who may call an operation. */
	private enum Access {

		PUBLIC, ADMIN

	}

	/**
	 * Whether an operation reads a JSON body, and the largest it accepts: the largest
	 * valid body (written in UTF-8 without escapes) with room to spare, so that nothing
	 * larger is ever parsed. Requests to no endpoint get the {@link #JSON} limit.
	 */
	private enum Body {

		/** No body is read; a stray one still must not be larger than this. */
		NONE(4096),

		/** A code and a few short fields: well under 1 KiB when valid. */
		JSON(4096),

		/**
		 * A generation: up to 16 metadata entries of 40 + 256 characters, up to 3 bytes
		 * each in UTF-8, are 14,208 bytes; with the field names, a campaign, an expiry
		 * and JSON's punctuation, under 15 KiB.
		 */
		GENERATION(16384);

		private final int maxBytes;

		Body(int maxBytes) {
			this.maxBytes = maxBytes;
		}

	}

	/** The rate-limit budgets, each with its own per-client limit. */
	public enum Budget {

		REDEEM, STATUS, GENERATE;

		/** The label value in metrics and logs. */
		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** The paths, as constants for the controller's mapping annotations. */
	public static final class Paths {

		public static final String GENERATE = "/generate-coupon";

		public static final String GENERATE_BULK = "/generate-coupons";

		public static final String REDEEM = "/redeem-coupon";

		public static final String STATUS = "/coupon-status";

		public static final String VOID = "/void-coupon";

		public static final String CAMPAIGN_STATS = "/campaigns/{campaign}/stats";

		public static final String VALIDATE = "/validate-coupon";

		public static final String REVERSE = "/reverse-redemption";

		public static final String EVENTS = "/coupons/{code}/events";

		public static final String LIST = "/coupons";

		private Paths() {
		}

	}

}
