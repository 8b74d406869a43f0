package com.example.couponservice.ratelimit;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

import com.example.couponservice.web.FilterOrders;
import com.example.couponservice.web.ProblemResponder;

/**
 * The rate-limit filter and, in the default mode, in-process buckets (the
 * {@code postgres} profile shares them through the database instead).
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean
	@Profile("!postgres & !redis")
	LocalRateLimitBuckets localRateLimitBuckets(RateLimitProperties properties, Clock clock) {
		return new LocalRateLimitBuckets(properties, clock);
	}

	@Bean
	RateLimitMetrics rateLimitMetrics(MeterRegistry registry, RateLimitBuckets buckets, Clock clock) {
		return new RateLimitMetrics(registry, buckets, clock);
	}

	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimitBuckets buckets, RateLimitProperties properties,
			ProblemResponder problems, RateLimitMetrics metrics) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
				new RateLimitFilter(buckets, properties, problems, metrics));
		registration.setOrder(FilterOrders.RATE_LIMIT);
		return registration;
	}

}
