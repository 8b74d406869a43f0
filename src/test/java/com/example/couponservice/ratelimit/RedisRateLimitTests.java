package com.example.couponservice.ratelimit;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
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
import com.example.couponservice.support.RedisClusterSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two-instance contract on one Redis Cluster, and an instance whose lifecycle is
 * stopped and started again.
 */
// Not while the shared test contexts start: two Spring Boot applications initialising
// logging at the same moment can fail one of them (ConcurrentModificationException in
// Logback's LoggerContext).
@ResourceLock("ServiceTest")
@ResourceLock("RateLimitedServiceTest")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRateLimitTests extends TwoInstanceRateLimitContractTests {

	private final RedisClusterSupport cluster = RedisClusterSupport.shared();

	private final String keyPrefix = this.cluster.newKeyPrefix() + "coupon:";

	@Override
	ConfigurableApplicationContext startInstance() {
		return new SpringApplicationBuilder(CouponServiceApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.data.redis.cluster.nodes=" + this.cluster.nodes(),
					"--coupon.redis.key-prefix=" + this.keyPrefix, "--coupon.rate-limit.redeem.network-capacity=0");
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
