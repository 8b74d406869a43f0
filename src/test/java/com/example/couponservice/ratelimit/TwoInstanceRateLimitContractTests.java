package com.example.couponservice.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;

import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.RawHttp;
import com.example.couponservice.support.RawHttp.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances behind one load balancer, sharing one store: one redemption per code
 * across both, and one budget per client across both. A subclass starts the instances on
 * its store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoInstanceRateLimitContractTests {

	ConfigurableApplicationContext first;

	ConfigurableApplicationContext second;

	/**
	 * A new instance on the shared store, with the network limit off: 64 clients of one
	 * /24 race for one code, and the network limit is not what is tested.
	 */
	abstract ConfigurableApplicationContext startInstance();

	@BeforeAll
	void startTwoInstances() {
		this.first = startInstance();
		this.second = startInstance();
	}

	@AfterAll
	void stopInstances() {
		this.first.close();
		this.second.close();
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	private static Response redeem(String client, ConfigurableApplicationContext instance, String code)
			throws Exception {
		return RawHttp.postJson(client, port(instance), "/redeem-coupon", "{\"code\":\"" + code + "\"}");
	}

	@Test
	void sixtyFourRedemptionsSpreadOverBothInstancesHaveOneWinner() throws Exception {
		Response generated = RawHttp.postJson("127.0.0.1", port(this.first), "/generate-coupon", "{}");
		String code = CouponRequests.codeOf(generated.header("Location"));
		ExecutorService pool = Executors.newFixedThreadPool(64);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Response>> answers = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				String client = "127.0.1." + (i + 1);
				ConfigurableApplicationContext instance = (i % 2 == 0) ? this.first : this.second;
				answers.add(pool.submit(() -> {
					start.await();
					return redeem(client, instance, code);
				}));
			}
			start.countDown();
			int first = 0;
			int repeats = 0;
			for (Future<Response> answer : answers) {
				Response response = answer.get();
				assertThat(response.status()).isEqualTo(200);
				if (response.body().contains("\"alreadyRedeemed\":false")) {
					first++;
				}
				else if (response.body().contains("\"alreadyRedeemed\":true")) {
					repeats++;
				}
			}
			assertThat(first).isEqualTo(1);
			assertThat(repeats).isEqualTo(63);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aBudgetSpentOnOneInstanceIsSpentOnTheOther() throws Exception {
		String client = "127.0.2.1";
		for (int i = 0; i < 3; i++) {
			assertThat(redeem(client, this.first, "ZZZZZZZZ").status()).isEqualTo(404);
		}
		assertThat(redeem(client, this.second, "ZZZZZZZZ").header("X-RateLimit-Remaining")).isEqualTo("1");
		assertThat(redeem(client, this.second, "ZZZZZZZZ").status()).isEqualTo(404);
		assertThat(redeem(client, this.first, "ZZZZZZZZ").status()).isEqualTo(429);
		Response limited = redeem(client, this.second, "ZZZZZZZZ");
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
		// Another client is unaffected on either instance.
		assertThat(redeem("127.0.2.2", this.second, "ZZZZZZZZ").status()).isEqualTo(404);
	}

}
