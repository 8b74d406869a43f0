package com.example.couponservice.ops;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import com.example.couponservice.coupon.CodeGenerator;
import com.example.couponservice.coupon.CodePool;
import com.example.couponservice.coupon.CouponMetrics;
import com.example.couponservice.coupon.CouponProperties;
import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class CodePoolHealthIndicatorTests {

	@Test
	void downWhileTheRefillFailsAndUpOnceItRecovers() {
		AtomicBoolean broken = new AtomicBoolean(true);
		CodeGenerator generator = new CodeGenerator(new SecureRandom()) {
			@Override
			public String[] next(int count) {
				if (count > 1 && broken.get()) {
					throw new IllegalStateException("entropy source unavailable");
				}
				return super.next(count);
			}
		};
		try (CodePool pool = new CodePool(generator, new CouponMetrics(new SimpleMeterRegistry()), new MutableClock(),
				new CouponProperties.Pool(100, 50, Duration.ofMillis(10)))) {
			CodePoolHealthIndicator indicator = new CodePoolHealthIndicator(pool);
			awaitStatus(indicator, Status.DOWN);
			Health down = indicator.health();
			assertThat(down.getDetails()).containsEntry("available", 0)
				.containsEntry("capacity", 100)
				.containsKey("lastRefillFailure");
			broken.set(false);
			awaitStatus(indicator, Status.UP);
			assertThat(pool.available()).isEqualTo(100);
		}
	}

	private static void awaitStatus(CodePoolHealthIndicator indicator, Status status) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!indicator.health().getStatus().equals(status)) {
			assertThat(System.nanoTime()).as("health %s within 10 s", status).isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

}
