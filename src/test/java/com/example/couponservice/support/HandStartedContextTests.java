package com.example.couponservice.support;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.example.couponservice.CouponServiceApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A context started by hand, as {@link EmbeddedPostgresSupport#startService} and the
 * multi-instance tests start theirs, scans the application's packages with the test
 * classes on the class path but without {@code @SpringBootTest}'s filter of test
 * configuration. Nothing from the test sources may end up in it: above all not the frozen
 * {@link MutableClock}, under which rate-limit windows never refill.
 */
class HandStartedContextTests {

	@Test
	void aContextStartedByHandRunsOnTheSystemClock() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CouponServiceApplication.class)
			.run("--server.port=0")) {
			assertThat(context.getBeansOfType(Clock.class).values()).singleElement()
				.isNotInstanceOf(MutableClock.class);
		}
	}

}
