package com.example.couponservice.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;

/**
 * The path a request is routed by, parsed as Spring MVC parses it: each segment decoded
 * and without its {@code ;parameters}. Filters that guard an endpoint must match on this,
 * never on the raw URI, or {@code /redeem-coupon;x} and {@code /redeem%2Dcoupon} would
 * slip past them and still reach the controller.
 */
public final class RequestPaths {

	private RequestPaths() {
	}

	public static PathContainer of(HttpServletRequest request) {
		return RequestPath.parse(request.getRequestURI(), request.getContextPath()).pathWithinApplication();
	}

}
