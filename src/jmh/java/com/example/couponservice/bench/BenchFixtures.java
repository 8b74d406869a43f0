package com.example.couponservice.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.util.unit.DataSize;

import com.example.couponservice.coupon.CodeGenerator;
import com.example.couponservice.coupon.CodePool;
import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponMetrics;
import com.example.couponservice.coupon.CouponProperties;
import com.example.couponservice.coupon.CouponService;
import com.example.couponservice.coupon.CouponTemplate;
import com.example.couponservice.coupon.InMemoryCouponStore;

/**
 * The coupon service wired with {@code new}, as CouponConfiguration wires it, with the
 * documented defaults of {@link CouponProperties} and a {@link SimpleMeterRegistry}.
 */
final class BenchFixtures {

	static final CouponProperties.Events EVENTS = new CouponProperties.Events(100, Duration.ofDays(400),
			Duration.ofHours(1));

	/** No expiry, no campaign, no metadata. */
	static final CouponTemplate PLAIN = new CouponTemplate(null, null, Map.of(), null);

	/** Largest bulk request (coupon.generation.max-bulk-count default). */
	static final int BULK_MAX = 10_000;

	private BenchFixtures() {
	}

	static CouponProperties defaultProperties() {
		return new CouponProperties(new CouponProperties.Pool(10_000, 5_000, Duration.ofSeconds(1)),
				new CouponProperties.Generation(10, BULK_MAX), new CouponProperties.Store(DataSize.ofBytes(0)), new CouponProperties.Redeem(false), EVENTS, null);
	}

	/** A fresh service with an empty, uncapped in-memory store and a full pool. */
	static Wired newService() {
		CouponProperties properties = defaultProperties();
		Clock clock = Clock.systemUTC();
		CodeGenerator generator = new CodeGenerator(new SecureRandom());
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		CouponMetrics metrics = new CouponMetrics(registry);
		CodePool pool = new CodePool(generator, metrics, clock, properties.pool());
		InMemoryCouponStore store = new InMemoryCouponStore(Long.MAX_VALUE, 100);
		CouponService service = new CouponService(store, pool, generator, metrics, clock, properties);
		awaitFullPool(pool);
		return new Wired(service, pool, store, registry);
	}

	/** The filler thread starts at once; give it (at most 10 s) to fill the pool. */
	static void awaitFullPool(CodePool pool) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (pool.available() < pool.capacity() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** {@code count} new plain coupons, stored through bulk generation; their codes. */
	static String[] generateCodes(CouponService service, int count) {
		String[] codes = new String[count];
		int done = 0;
		while (done < count) {
			int batch = Math.min(BULK_MAX, count - done);
			for (Coupon coupon : service.generateBulk(batch, PLAIN)) {
				codes[done++] = coupon.code();
			}
		}
		return codes;
	}

	/** A service and the parts a benchmark closes or inspects. */
	record Wired(CouponService service, CodePool pool, InMemoryCouponStore store,
			SimpleMeterRegistry registry) implements AutoCloseable {

		/** coupon.generated so far with this source tag (pool, on_demand, bulk). */
		long generated(String source) {
			return (long) this.registry.get("coupon.generated").tag("source", source).counter().count();
		}

		@Override
		public void close() {
			this.pool.close();
		}

	}

}
