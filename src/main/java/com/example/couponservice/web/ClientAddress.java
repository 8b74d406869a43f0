package com.example.couponservice.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The caller's address as this service uses it: in log lines (MDC key {@value #MDC_KEY}),
 * as the key of its rate-limit budgets, and in the coupon's history. It is
 * {@code getRemoteAddr()}, which Tomcat rewrites from {@code X-Forwarded-For} only for
 * trusted proxies.
 */
public final class ClientAddress {

	/** The MDC key of the caller's address while a request is served. */
	public static final String MDC_KEY = "client.ip";

	private ClientAddress() {
	}

	public static String of(HttpServletRequest request) {
		return request.getRemoteAddr();
	}

}
