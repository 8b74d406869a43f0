package com.example.couponservice.ratelimit;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.example.couponservice.support.RateLimitedServiceTest;
import com.example.couponservice.support.RawHttp;
import com.example.couponservice.support.RawHttp.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which client a budget belongs to, over real sockets from distinct loopback addresses.
 * By default forwarded headers are ignored: a made-up X-Forwarded-For buys no budget.
 */
@RateLimitedServiceTest
class ClientAddressTests {

	@LocalServerPort
	int port;

	Response redeem(String client, String... headers) throws IOException {
		return RawHttp.postJson(client, this.port, "/redeem-coupon", "{\"code\":\"ZZZZZZZZ\"}", headers);
	}

	@Test
	void eachLoopbackAddressHasItsOwnBudget() throws IOException {
		for (int i = 0; i < 5; i++) {
			assertThat(redeem("127.0.0.2").status()).isEqualTo(404);
		}
		assertThat(redeem("127.0.0.2").status()).isEqualTo(429);
		assertThat(redeem("127.0.0.3").status()).isEqualTo(404);
		assertThat(redeem("127.0.0.3").header("X-RateLimit-Remaining")).isEqualTo("3");
	}

	@Test
	void aSpoofedForwardedForHeaderIsIgnoredByDefault() throws IOException {
		for (int i = 0; i < 5; i++) {
			assertThat(redeem("127.0.0.4", "X-Forwarded-For: 203.0.113." + i).status()).isEqualTo(404);
		}
		Response limited = redeem("127.0.0.4", "X-Forwarded-For: 203.0.113.200", "Forwarded: for=203.0.113.201");
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
		assertThat(limited.header("Retry-After")).isNotBlank();
	}

	@Test
	void pathVariantsThatReachTheControllerSpendTheSameBudget() throws IOException {
		String json = "{\"code\":\"ZZZZZZZZ\"}";
		Response parameter = RawHttp.postJson("127.0.0.5", this.port, "/redeem-coupon;jsessionid=x", json);
		assertThat(parameter.body()).contains("/problems/coupon-not-found");
		assertThat(parameter.header("X-RateLimit-Remaining")).isEqualTo("4");
		Response encoded = RawHttp.postJson("127.0.0.5", this.port, "/redeem%2Dcoupon", json);
		assertThat(encoded.body()).contains("/problems/coupon-not-found");
		assertThat(encoded.header("X-RateLimit-Remaining")).isEqualTo("3");
		// Variants the filter does not count never reach the controller either.
		for (String path : new String[] { "/./redeem-coupon", "/x/../redeem-coupon", "/redeem-coupon/",
				"/REDEEM-COUPON" }) {
			Response response = RawHttp.postJson("127.0.0.5", this.port, path, json);
			assertThat(response.status()).as(path).isEqualTo(404);
			assertThat(response.body()).as(path).contains("/problems/not-found");
		}
	}

}
