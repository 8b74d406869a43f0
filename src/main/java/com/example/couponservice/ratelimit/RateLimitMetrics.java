package com.example.couponservice.ratelimit;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * The rate limiter's meters: requests refused per budget, and how many client buckets are
 * held. Tag values come from enums, never from a client address.
 */
class RateLimitMetrics {

	private final Map<Budget, Counter> rejections = new EnumMap<>(Budget.class);

	RateLimitMetrics(MeterRegistry registry, RateLimitBuckets buckets) {
		for (Budget budget : Budget.values()) {
			this.rejections.put(budget,
					Counter.builder("coupon.rate.limited")
						.description("Requests refused with 429 because the client's budget was spent")
						.tag("endpoint", budget.tag())
						.register(registry));
		}
		Gauge.builder("coupon.ratelimit.tracked.clients", buckets, RateLimitBuckets::trackedClients)
			.description("Client keys with a live rate-limit bucket")
			.register(registry);
	}

	void rejected(Budget budget) {
		Objects.requireNonNull(this.rejections.get(budget)).increment();
	}

}
