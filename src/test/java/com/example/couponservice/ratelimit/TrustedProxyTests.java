package com.example.couponservice.ratelimit;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.example.couponservice.support.RawHttp;
import com.example.couponservice.support.RawHttp.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a trusted proxy (or a storefront backend forwarding its customers' addresses)
 * operators turn on Tomcat's RemoteIpValve; then each customer has a budget, but only
 * requests from the listed proxies may name the client. A context of its own: the valve
 * is configured when Tomcat starts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.forward-headers-strategy=native",
		"server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1" })
class TrustedProxyTests {

	@LocalServerPort
	int port;

	Response redeem(String client, String forwardedFor) throws IOException {
		return RawHttp.postJson(client, this.port, "/redeem-coupon", "{\"code\":\"ZZZZZZZZ\"}",
				"X-Forwarded-For: " + forwardedFor);
	}

	@Test
	void theTrustedProxyNamesEachCustomer() throws IOException {
		for (int i = 0; i < 5; i++) {
			assertThat(redeem("127.0.0.1", "203.0.113.10").status()).isEqualTo(404);
		}
		assertThat(redeem("127.0.0.1", "203.0.113.10").status()).isEqualTo(429);
		// Another customer behind the same proxy has a budget of its own.
		assertThat(redeem("127.0.0.1", "203.0.113.11").status()).isEqualTo(404);
	}

	@Test
	void anUntrustedCallerCannotNameAClient() throws IOException {
		for (int i = 0; i < 5; i++) {
			assertThat(redeem("127.0.0.6", "198.51.100." + i).status()).isEqualTo(404);
		}
		assertThat(redeem("127.0.0.6", "198.51.100.99").status()).isEqualTo(429);
	}

}
