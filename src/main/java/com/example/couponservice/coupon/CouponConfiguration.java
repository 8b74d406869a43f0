package com.example.couponservice.coupon;

import java.security.SecureRandom;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Wires the coupon parts. The in-memory store is the default; the {@code postgres}
 * profile brings its own {@link CouponStore}.
 */
@Configuration(proxyBeanMethods = false)
class CouponConfiguration {

	/** Approximate heap bytes a stored coupon may take, for sizing the default cap. */
	static final long HEAP_BYTES_PER_COUPON = 256;

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	CodeGenerator codeGenerator() {
		return new CodeGenerator(new SecureRandom());
	}

	@Bean
	CouponMetrics couponMetrics(MeterRegistry registry) {
		return new CouponMetrics(registry);
	}

	@Bean(destroyMethod = "close")
	CodePool codePool(CodeGenerator generator, CouponMetrics metrics, Clock clock, CouponProperties properties) {
		return new CodePool(generator, metrics, clock, properties.pool());
	}

	@Bean
	@Profile("!postgres")
	InMemoryCouponStore inMemoryCouponStore(CouponProperties properties) {
		long max = properties.store().maxCoupons();
		if (max == 0) {
			max = Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_COUPON;
		}
		return new InMemoryCouponStore(max);
	}

	@Bean
	CouponGauges couponGauges(CodePool pool, CouponStore store, Clock clock) {
		return new CouponGauges(pool, store, clock);
	}

	@Bean
	CouponService couponService(CouponStore store, CodePool pool, CodeGenerator generator, CouponMetrics metrics,
			Clock clock, CouponProperties properties) {
		return new CouponService(store, pool, generator, metrics, clock, properties);
	}

}
