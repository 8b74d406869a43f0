package com.example.couponservice.web;

import org.springframework.core.Ordered;

/**
 * The order of this service's servlet filters: client address first (for logs), then rate
 * limits (so every attempt counts, whatever happens next), then the admin token, then the
 * body limit.
 */
public final class FilterOrders {

	public static final int CLIENT_ADDRESS = Ordered.HIGHEST_PRECEDENCE + 100;

	public static final int RATE_LIMIT = CLIENT_ADDRESS + 10;

	public static final int ADMIN_TOKEN = RATE_LIMIT + 10;

	public static final int BODY_LIMIT = ADMIN_TOKEN + 10;

	private FilterOrders() {
	}

}
