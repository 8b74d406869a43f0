package com.example.couponservice.coupon;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.couponservice.coupon.CodePool.Candidate;
import com.example.couponservice.coupon.CodePool.Source;
import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class CodePoolTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CouponMetrics metrics = new CouponMetrics(this.registry);

	private CodePool pool;

	@AfterEach
	void close() {
		if (this.pool != null) {
			this.pool.close();
		}
	}

	private CodePool pool(CodeGenerator generator, int size, int threshold, Duration interval) {
		this.pool = new CodePool(generator, this.metrics, new MutableClock(),
				new CouponProperties.Pool(size, threshold, interval));
		return this.pool;
	}

	@Test
	void fillsInTheBackgroundAndHandsOutDistinctReservedCodes() {
		CodePool pool = pool(new CodeGenerator(new SecureRandom()), 500, 100, Duration.ofMillis(20));
		awaitTrue(() -> pool.available() == 500);
		Set<String> handedOut = new HashSet<>();
		for (int i = 0; i < 401; i++) {
			Candidate candidate = pool.take();
			assertThat(candidate.source()).isEqualTo(Source.POOL);
			assertThat(pool.isReserved(candidate.code())).isTrue();
			assertThat(handedOut.add(candidate.code())).isTrue();
		}
		// Below the threshold of 100 (99 left) a refill starts by itself.
		awaitTrue(() -> pool.available() == 500);
		for (String code : handedOut) {
			pool.release(code);
			assertThat(pool.isReserved(code)).isFalse();
		}
	}

	@Test
	void anEmptyPoolFallsBackToOnDemandCodes() {
		CodePool pool = pool(new CodeGenerator(new SecureRandom()), 0, 0, Duration.ofSeconds(1));
		Candidate candidate = pool.take();
		assertThat(candidate.source()).isEqualTo(Source.ON_DEMAND);
		assertThat(candidate.code()).matches("[" + CouponCode.ALPHABET + "]{8}");
		assertThat(pool.isReserved(candidate.code())).isTrue();
	}

	@Test
	void aFailingRefillIsCountedReportedAndRetriedWhileOnDemandKeepsServing() {
		AtomicInteger failuresLeft = new AtomicInteger(3);
		CodeGenerator flaky = new CodeGenerator(new SecureRandom()) {
			@Override
			public String[] next(int count) {
				// Batches come from the filler; single codes are on-demand requests.
				if (count > 1 && failuresLeft.getAndDecrement() > 0) {
					throw new IllegalStateException("entropy source unavailable");
				}
				return super.next(count);
			}
		};
		CodePool pool = pool(flaky, 50, 25, Duration.ofMillis(10));
		Candidate whileBroken = pool.take();
		assertThat(whileBroken.code()).matches("[" + CouponCode.ALPHABET + "]{8}");
		awaitTrue(() -> pool.available() == 50);
		assertThat(this.registry.get("coupon.pool.refill.failures").counter().count()).isEqualTo(3);
		assertThat(pool.getLastRefillFailure()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(pool.isRefillFailing()).isFalse();
	}

	/** Waits for background work, with a deadline; never a fixed sleep. */
	static void awaitTrue(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
			Thread.onSpinWait();
			Thread.yield();
		}
	}

}
