package com.example.couponservice.ratelimit;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.example.couponservice.support.RawHttp;
import com.example.couponservice.support.Scrapes;
import com.example.couponservice.support.RawHttp.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a trusted proxy (or a storefront backend forwarding its customers' addresses)
 * operators list it in {@code coupon.security.trusted-proxies}; then each customer has a
 * budget, and a network limit per /24, but only requests from the listed proxies may name
 * the client, and whatever a proxy writes is read strictly. A context of its own: the
 * valve is configured when Tomcat starts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "coupon.security.trusted-proxies=127.0.0.1")
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
	void aPortAfterTheAddressIsTheSameClient() throws IOException {
		for (int i = 0; i < 5; i++) {
			assertThat(redeem("127.0.0.1", "203.0.113.20:" + (51000 + i)).status()).isEqualTo(404);
		}
		assertThat(redeem("127.0.0.1", "203.0.113.20:1").status()).isEqualTo(429);
		assertThat(redeem("127.0.0.1", "[2001:db8:20::7]:443").header("X-RateLimit-Remaining")).isEqualTo("4");
		assertThat(redeem("127.0.0.1", "2001:db8:20::7").header("X-RateLimit-Remaining")).isEqualTo("3");
	}

	@Test
	void whatIsNotAnAddressSharesOneBudget() throws IOException {
		for (String garbage : new String[] { "unknown", "_hidden", "evil.example", "999.1.1.1", "1.2.3.4.5" }) {
			assertThat(redeem("127.0.0.1", garbage).status()).as(garbage).isEqualTo(404);
		}
		assertThat(redeem("127.0.0.1", "yet-another-string").status()).isEqualTo(429);
	}

	@Test
	void aNetworkHasItsOwnBudgetBesideEachAddresss() throws IOException {
		// 10 addresses of 198.18.7.0/24 spend their 5 each: 50, the network's budget.
		for (int host = 1; host <= 10; host++) {
			for (int i = 0; i < 5; i++) {
				assertThat(redeem("127.0.0.1", "198.18.7." + host).status()).isEqualTo(404);
			}
		}
		Response network = redeem("127.0.0.1", "198.18.7.77");
		assertThat(network.status()).isEqualTo(429);
		assertThat(network.header("X-RateLimit-Limit")).isEqualTo("50");
		assertThat(network.header("X-RateLimit-Remaining")).isEqualTo("0");
		assertThat(network.body()).contains("this client's network");
		assertThat(redeem("127.0.0.1", "198.18.8.1").status()).as("the next /24").isEqualTo(404);
		String scrape = RawHttp
			.send("127.0.0.1", this.port, "GET /actuator/prometheus HTTP/1.1\r\nHost: localhost\r\n\r\n")
			.body();
		assertThat(Scrapes.value(scrape,
				"coupon_rate_limited_total{application=\"coupon-service\",endpoint=\"redeem\",scope=\"network\"}"))
			.isEqualTo(1);
	}

	@Test
	void anUntrustedCallerCannotNameAClient() throws IOException {
		for (int i = 0; i < 5; i++) {
			assertThat(redeem("127.0.0.6", "198.51.100." + i).status()).isEqualTo(404);
		}
		assertThat(redeem("127.0.0.6", "198.51.100.99").status()).isEqualTo(429);
	}

}
