package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * The rate limiter's meters: requests refused per budget and scope, and how many buckets
 * are held. Tag values come from enums, never from a client address. Counting the buckets
 * may be a query (PostgreSQL mode), so it runs at most once per {@link #TRACKED_REFRESH},
 * by one thread, however many scrapes arrive at once.
 */
class RateLimitMetrics {

	static final Duration TRACKED_REFRESH = Duration.ofSeconds(10);

	private final Map<Budget, Map<Scope, Counter>> rejections = new EnumMap<>(Budget.class);

	private final LoadingCache<Boolean, Long> tracked;

	RateLimitMetrics(MeterRegistry registry, RateLimitBuckets buckets, Clock clock) {
		for (Budget budget : Budget.values()) {
			Map<Scope, Counter> scopes = new EnumMap<>(Scope.class);
			for (Scope scope : Scope.values()) {
				scopes.put(scope, Counter.builder("coupon.rate.limited")
					.description("Requests refused with 429 because a budget was spent, by the scope that refused")
					.tag("endpoint", budget.tag())
					.tag("scope", scope.tag())
					.register(registry));
			}
			this.rejections.put(budget, scopes);
		}
		this.tracked = Caffeine.newBuilder()
			.expireAfterWrite(TRACKED_REFRESH)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build((key) -> buckets.trackedClients());
		Gauge.builder("coupon.ratelimit.tracked.clients", this, RateLimitMetrics::trackedClients)
			.description("Rate-limit buckets held, of addresses and networks (refreshed at most every 10 s)")
			.register(registry);
	}

	private double trackedClients() {
		return this.tracked.get(Boolean.TRUE);
	}

	void rejected(Budget budget, Scope scope) {
		Objects.requireNonNull(Objects.requireNonNull(this.rejections.get(budget)).get(scope)).increment();
	}

}
