package com.example.couponservice.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.UrlPathHelper;

/**
 * The path a request is routed by, as Spring MVC sees it: decoded, without
 * {@code ;parameters}. Filters that guard an endpoint must match on this, never on the
 * raw URI, or {@code /redeem-coupon;x} and {@code /redeem%2Dcoupon} would slip past them
 * and still reach the controller.
 */
public final class RequestPaths {

	private static final UrlPathHelper PATHS = new UrlPathHelper();

	static {
		PATHS.setRemoveSemicolonContent(true);
		PATHS.setUrlDecode(true);
	}

	private RequestPaths() {
	}

	public static String of(HttpServletRequest request) {
		return PATHS.getPathWithinApplication(request);
	}

}
