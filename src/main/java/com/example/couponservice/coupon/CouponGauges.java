package com.example.couponservice.coupon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Gauges of the pool level and of stored coupons by status. Counting coupons by status
 * walks the whole store (or runs a GROUP BY), so the counts are computed at most once per
 * {@link #STORED_REFRESH} however often Prometheus scrapes.
 */
class CouponGauges implements MeterBinder {

	static final Duration STORED_REFRESH = Duration.ofSeconds(10);

	private final CodePool pool;

	private final CouponStore store;

	private final Clock clock;

	@Nullable private volatile Snapshot snapshot;

	CouponGauges(CodePool pool, CouponStore store, Clock clock) {
		this.pool = pool;
		this.store = store;
		this.clock = clock;
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
		Instant now = this.clock.instant();
		Snapshot current = this.snapshot;
		if (current == null || current.takenAt.plus(STORED_REFRESH).isBefore(now)) {
			current = new Snapshot(now, this.store.countByStatus(null, now));
			this.snapshot = current;
		}
		return current.counts.getOrDefault(status, 0L);
	}

	private record Snapshot(Instant takenAt, Map<CouponStatus, Long> counts) {
	}

}
