package com.example.couponservice.ratelimit;

import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.example.couponservice.CouponServiceApplication;
import com.example.couponservice.coupon.Attempt;
import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponStore;
import com.example.couponservice.coupon.RedeemOutcome;
import com.example.couponservice.coupon.web.CouponEndpoint.Budget;
import com.example.couponservice.support.CouponRequests;
import com.example.couponservice.support.RawHttp;
import com.example.couponservice.support.RawHttp.Response;
import com.example.couponservice.support.RedisClusterSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances behind one load balancer, sharing one Redis Cluster: one redemption per
 * code across both, and one budget per client across both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Not while the shared test contexts start: two Spring Boot applications initialising
// logging at the same moment can fail one of them (ConcurrentModificationException in
// Logback's LoggerContext).
@ResourceLock("ServiceTest")
@ResourceLock("RateLimitedServiceTest")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRateLimitTests {

	private final RedisClusterSupport cluster = RedisClusterSupport.shared();

	private final String keyPrefix = this.cluster.newKeyPrefix() + "coupon:";

	private ConfigurableApplicationContext first;

	private ConfigurableApplicationContext second;

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

	private ConfigurableApplicationContext startInstance() {
		// 64 clients of one /24 race for one code: the network limit is not what is
		// tested.
		return new SpringApplicationBuilder(CouponServiceApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.data.redis.cluster.nodes=" + this.cluster.nodes(),
					"--coupon.redis.key-prefix=" + this.keyPrefix, "--coupon.rate-limit.redeem.network-capacity=0");
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

	/**
	 * Stopping an instance's lifecycle (as Spring's test framework does to a cached
	 * context it pauses) shuts the Lettuce client down; started again, the store and the
	 * buckets work over the new one. Last, since the instance's web server moves.
	 */
	@Test
	@Order(Integer.MAX_VALUE)
	void anInstanceStoppedAndStartedAgainWorksOverTheNewClient() {
		this.second.stop();
		this.second.start();

		CouponStore store = this.second.getBean(CouponStore.class);
		Instant now = Instant.parse("2031-05-17T09:30:12.345Z");
		assertThat(store.insert(Coupon.fresh("RESTART2", now, null, null, Map.of()))).isTrue();
		assertThat(store.redeem("RESTART2", new Attempt(now, "order-1", null, null)).outcome())
			.isEqualTo(RedeemOutcome.REDEEMED);
		RateLimitBuckets buckets = this.second.getBean(RateLimitBuckets.class);
		assertThat(buckets.tryConsume(Budget.REDEEM, Scope.ADDRESS, "127.0.3.1").remaining()).isEqualTo(4);
	}

}
