package com.example.couponservice.security;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.couponservice.support.RawHttp;
import com.example.couponservice.support.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service as a Kubernetes pod runs it: Spring Boot sees KUBERNETES_SERVICE_HOST and
 * KUBERNETES_SERVICE_PORT and, left to itself, would trust X-Forwarded-For from every
 * private and loopback address. Started as a process of its own, since only a real
 * environment variable makes Boot detect the platform.
 */
class ForwardedHeadersTests {

	private static final Map<String, String> KUBERNETES = Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1",
			"KUBERNETES_SERVICE_PORT", "443");

	@Test
	void onKubernetesAMadeUpForwardedForBuysNoFreshBudget() throws IOException {
		try (ServiceProcess service = ServiceProcess.start(KUBERNETES, List.of("-Xmx256m"))) {
			assertThat(service.port()).as(service.output()).isPositive();
			List<Integer> statuses = new ArrayList<>();
			for (int i = 1; i <= 8; i++) {
				statuses.add(
						RawHttp
							.postJson("127.0.0.1", service.port(), "/redeem-coupon", "{\"code\":\"ZZZZZZZZ\"}",
									"X-Forwarded-For: 198.51.100." + i)
							.status());
			}
			assertThat(statuses).containsExactly(404, 404, 404, 404, 404, 429, 429, 429);
		}
	}

	@Test
	void trustingForwardedHeadersWithoutNamingTheProxiesRefusesToStart() {
		try (ServiceProcess service = ServiceProcess.start(KUBERNETES, List.of("-Xmx256m"),
				"--server.forward-headers-strategy=native")) {
			assertThat(service.port()).as("it must not start").isZero();
			assertThat(service.awaitExit(Duration.ofSeconds(10))).isNotZero();
			assertThat(service.output()).contains("APPLICATION FAILED TO START")
				.contains("coupon.security.trusted-proxies");
		}
	}

}
