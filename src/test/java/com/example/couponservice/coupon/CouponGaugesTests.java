package com.example.couponservice.coupon;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counting coupons by status may be a full scan or a query: parallel scrapes must not run
 * it once each (in PostgreSQL mode that would take the connection pool).
 */
class CouponGaugesTests {

	private final MutableClock clock = new MutableClock();

	private final AtomicInteger counts = new AtomicInteger();

	/** A store whose count is slow enough for the scrapes to overlap. */
	private final InMemoryCouponStore store = new InMemoryCouponStore(1L << 20, 100) {

		@Override
		public Map<CouponStatus, Long> countByStatus(@Nullable String campaign, Instant now) {
			CouponGaugesTests.this.counts.incrementAndGet();
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Map<CouponStatus, Long> counts = new EnumMap<>(CouponStatus.class);
			counts.put(CouponStatus.UNUSED, 7L);
			return counts;
		}

	};

	@Test
	void parallelScrapesCountOnceAndTheCountIsKeptForTenSeconds() throws Exception {
		MeterRegistry registry = new SimpleMeterRegistry();
		CodeGenerator generator = new CodeGenerator(new java.security.SecureRandom());
		try (CodePool pool = new CodePool(generator, new CouponMetrics(registry), this.clock,
				new CouponProperties.Pool(0, 0, Duration.ofHours(1)))) {
			new CouponGauges(pool, this.store, this.clock).bindTo(registry);
			int scrapes = 16;
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService executor = Executors.newFixedThreadPool(scrapes);
			try {
				List<Future<Double>> values = new java.util.ArrayList<>();
				for (int i = 0; i < scrapes; i++) {
					values.add(executor.submit(() -> {
						start.await();
						return registry.get("coupon.stored").tag("status", "unused").gauge().value();
					}));
				}
				start.countDown();
				for (Future<Double> value : values) {
					assertThat(value.get(10, TimeUnit.SECONDS)).isEqualTo(7.0);
				}
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(this.counts.get()).isEqualTo(1);

			this.clock.advance(Duration.ofSeconds(9));
			registry.get("coupon.stored").tag("status", "unused").gauge().value();
			assertThat(this.counts.get()).isEqualTo(1);
			this.clock.advance(Duration.ofSeconds(2));
			registry.get("coupon.stored").tag("status", "unused").gauge().value();
			assertThat(this.counts.get()).isEqualTo(2);
		}
	}

}
