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
 * The whole service as {@link ServiceTest} runs it, but with the default rate limits: for
 * tests of the budgets, metrics and the API description. Classes with this annotation
 * share one context; each test spends the budgets of client addresses of its own, and
 * moves the shared {@link MutableClock} only forward; they never run at the same time as
 * each other.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@AutoConfigureRestTestClient
@Import(TestClockConfiguration.class)
@ResourceLock("RateLimitedServiceTest")
public @interface RateLimitedServiceTest {

}
