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

	/** The share of the maximum heap the in-memory store gets by default. */
	static final double DEFAULT_HEAP_SHARE = 0.4;

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
	@Profile("!postgres & !redis")
	InMemoryCouponStore inMemoryCouponStore(CouponProperties properties) {
		long max = properties.store().maxMemory().toBytes();
		if (max <= 0) {
			max = (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_SHARE);
		}
		return new InMemoryCouponStore(max, properties.events().maxPerCoupon());
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
