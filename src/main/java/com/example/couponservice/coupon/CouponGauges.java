package com.example.couponservice.coupon;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Gauges of the pool level and of stored coupons by status. Counting coupons by status
 * walks the whole store (or runs a GROUP BY), so the counts are computed at most once per
 * {@link #STORED_REFRESH}, by one thread at a time, however often and however many
 * scrapes arrive at once: the others wait for that one count instead of starting their
 * own.
 */
class CouponGauges implements MeterBinder {

	static final Duration STORED_REFRESH = Duration.ofSeconds(10);

	private final CodePool pool;

	private final LoadingCache<Boolean, Map<CouponStatus, Long>> counts;

	CouponGauges(CodePool pool, CouponStore store, Clock clock) {
		this.pool = pool;
		this.counts = Caffeine.newBuilder()
			.expireAfterWrite(STORED_REFRESH)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build((key) -> store.countByStatus(null, clock.instant()));
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("coupon.pool.available", this.pool, CodePool::available)
			.description("Fresh codes waiting in the pool")
			.register(registry);
		Gauge.builder("coupon.pool.capacity", this.pool, CodePool::capacity)
			.description("Codes the pool holds when full")
			.register(registry);
		for (CouponStatus status : CouponStatus.values()) {
			Gauge.builder("coupon.stored", this, (gauges) -> gauges.count(status))
				.description("Stored coupons by the status a lookup reports (refreshed at most every 10 s)")
				.tag("status", status.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
	}

	private double count(CouponStatus status) {
		return this.counts.get(Boolean.TRUE).getOrDefault(status, 0L);
	}

}
