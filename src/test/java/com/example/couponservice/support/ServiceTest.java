package com.example.couponservice.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.parallel.ResourceLock;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * The whole service on a random port, reachable through {@code MockMvcTester},
 * {@code RestTestClient} and real sockets, on a {@link MutableClock}, with the redeem and
 * status budgets raised far past what a test sends: for tests of the API contract, not of
 * the rate limits ({@link RateLimitedServiceTest} keeps those). Every class with this
 * annotation (and the same profile) shares one cached context, so tests must not assume
 * an empty store or untouched counters: they work on their own codes and compare counters
 * before and after. They never run at the same time as each other.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "coupon.rate-limit.redeem.capacity=1000000", "coupon.rate-limit.status.capacity=1000000",
				"coupon.rate-limit.redeem.network-capacity=1000000",
				"coupon.rate-limit.status.network-capacity=1000000" })
@AutoConfigureMockMvc
@AutoConfigureRestTestClient
@Import(TestClockConfiguration.class)
@ResourceLock("ServiceTest")
public @interface ServiceTest {

}
