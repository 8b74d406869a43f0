package com.example.couponservice.ratelimit;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import com.example.couponservice.web.RequestPaths;

/** The endpoints with a per-client budget, and how a request is matched to one. */
public enum LimitedEndpoint {

	REDEEM, STATUS, GENERATE;

	/** The label value in metrics and logs. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	RateLimitProperties.Limit limit(RateLimitProperties properties) {
		return switch (this) {
			case REDEEM -> properties.redeem();
			case STATUS -> properties.status();
			case GENERATE -> properties.generate();
		};
	}

	/** The budget {@code request} spends, or {@code null} for an unlimited request. */
	@Nullable static LimitedEndpoint of(HttpServletRequest request) {
		String method = request.getMethod();
		String path = RequestPaths.of(request);
		if ("POST".equals(method)) {
			return switch (path) {
				case "/redeem-coupon" -> REDEEM;
				case "/generate-coupon", "/generate-coupons" -> GENERATE;
				default -> null;
			};
		}
		if (("GET".equals(method) || "HEAD".equals(method)) && "/coupon-status".equals(path)) {
			return STATUS;
		}
		return null;
	}

}
