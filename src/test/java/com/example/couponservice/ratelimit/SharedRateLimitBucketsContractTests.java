package com.example.couponservice.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;
import com.example.couponservice.ratelimit.RateLimitBuckets.Decision;
import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every store of shared buckets does, run against each real store by a subclass:
 * fixed windows counted in the store, shared by instances, a spent budget refused without
 * asking the store until its window ends, and an address's and its network's windows
 * spent together, the network's only when the address's let the attempt through.
 *
 * @param <B> the store's buckets
 */
abstract class SharedRateLimitBucketsContractTests<B extends SharedRateLimitBuckets> {

	static final RateLimitProperties DEFAULTS = new RateLimitProperties(
			new RateLimitProperties.Redeem(5, 50, Duration.ofMinutes(1)),
			new RateLimitProperties.Status(60, 600, Duration.ofMinutes(1)),
			new RateLimitProperties.Generate(0, Duration.ofMinutes(1)), 64, 24, 48, 100_000, Duration.ofMinutes(2),
			Duration.ofMinutes(1));

	final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));

	private @Nullable B buckets;

	/** A new instance on the test's store, as another replica of the service would be. */
	abstract B newInstance();

	/**
	 * Attempts counted in the store's window {@code id} ({@code redeem:<address>}); 0 for
	 * none.
	 */
	abstract long used(String id);

	/** Delete the store's window {@code id}, behind the instances' backs. */
	abstract void forget(String id);

	/** The instance the tests spend through. */
	final B buckets() {
		B buckets = this.buckets;
		if (buckets == null) {
			buckets = newInstance();
			this.buckets = buckets;
		}
		return buckets;
	}

	@Test
	void aWindowLetsCapacityAttemptsThroughThenRefusesUntilItEnds() {
		for (int i = 1; i <= 5; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			Decision allowed = buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7");
			assertThat(allowed.allowed()).isTrue();
			assertThat(allowed.remaining()).isEqualTo(5 - i);
			assertThat(allowed.limit()).isEqualTo(5);
		}
		Decision refused = buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7");
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.firstRejection()).isTrue();
		assertThat(refused.remaining()).isZero();
		// The window opened with the first attempt, 5 s ago.
		assertThat(refused.nanosToRefill()).isEqualTo(TimeUnit.SECONDS.toNanos(56));
		assertThat(buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7").firstRejection()).isFalse();
		// Other keys, budgets and scopes have windows of their own.
		assertThat(buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.8").allowed()).isTrue();
		assertThat(buckets().tryConsume(Budget.STATUS, Scope.ADDRESS, "203.0.113.7").allowed()).isTrue();
		assertThat(buckets().tryConsume(Budget.REDEEM, Scope.NETWORK, "203.0.113.0/24").allowed()).isTrue();

		// A second instance asks the store (it has not seen the key spent) and is refused
		// too.
		B other = newInstance();
		this.clock.advance(Duration.ofSeconds(55).plusMillis(999));
		assertThat(buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7").allowed()).isFalse();
		assertThat(other.tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7").allowed()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		Decision next = buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "203.0.113.7");
		assertThat(next.allowed()).isTrue();
		assertThat(next.remaining()).isEqualTo(4);
		assertThat(next.nanosToReset()).isEqualTo(TimeUnit.MINUTES.toNanos(1));
	}

	@Test
	void aSpentBudgetIsRefusedWithoutAskingTheStoreUntilItsWindowEnds() {
		for (int i = 0; i < 6; i++) {
			buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "198.51.100.9");
		}
		// Were the store asked, this instance would find no window and let the next
		// attempt through.
		forget("redeem:198.51.100.9");
		this.clock.advance(Duration.ofSeconds(59));
		Decision refused = buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "198.51.100.9");
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.nanosToRefill()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
		assertThat(used("redeem:198.51.100.9")).isZero();

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(buckets().tryConsume(Budget.REDEEM, Scope.ADDRESS, "198.51.100.9").allowed()).isTrue();
		assertThat(used("redeem:198.51.100.9")).isOne();
	}

	@Test
	void instancesRacingForOneBudgetLetExactlyItsCapacityThrough() throws Exception {
		B one = buckets();
		B other = newInstance();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> answers = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				B instance = (i % 2 == 0) ? one : other;
				answers.add(pool.submit(() -> {
					start.await();
					return instance.tryConsume(Budget.REDEEM, Scope.NETWORK, "192.0.2.0/24").allowed();
				}));
			}
			start.countDown();
			int allowed = 0;
			for (Future<Boolean> answer : answers) {
				allowed += answer.get(30, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(allowed).isEqualTo(50);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void anAddressAndItsNetworkAreSpentTogetherAndARefusedAddressLeavesTheNetworkAlone() {
		for (int i = 0; i < 5; i++) {
			List<Decision> both = spend("203.0.113.7");
			assertThat(both).extracting(Decision::allowed).containsExactly(true, true);
			assertThat(both).extracting(Decision::remaining).containsExactly(4L - i, 49L - i);
		}
		List<Decision> refused = spend("203.0.113.7");
		assertThat(refused).singleElement().satisfies((decision) -> {
			assertThat(decision.allowed()).isFalse();
			assertThat(decision.firstRejection()).isTrue();
		});
		assertThat(used("redeem/network:203.0.113.0/24")).isEqualTo(5);
		assertThat(spend("203.0.113.8")).extracting(Decision::allowed).containsExactly(true, true);
		assertThat(used("redeem/network:203.0.113.0/24")).isEqualTo(6);
	}

	@Test
	void aNetworkSeenSpentStillCountsTheAddressButAsksTheStoreOnlyForIt() {
		for (int i = 1; i <= 50; i++) {
			assertThat(spend("198.51.100." + i)).extracting(Decision::allowed).containsExactly(true, true);
		}
		List<Decision> first = spend("198.51.100.51");
		assertThat(first).extracting(Decision::allowed).containsExactly(true, false);
		assertThat(first.get(1).firstRejection()).isTrue();
		forget("redeem/network:198.51.100.0/24");

		List<Decision> next = spend("198.51.100.52");
		assertThat(next).extracting(Decision::allowed).containsExactly(true, false);
		assertThat(next.get(1).firstRejection()).isFalse();
		assertThat(used("redeem:198.51.100.52")).isEqualTo(1);
		assertThat(used("redeem/network:198.51.100.0/24")).isZero();
	}

	private List<Decision> spend(String address) {
		ClientKeys.Keys keys = new ClientKeys.Keys(address, address.substring(0, address.lastIndexOf('.')) + ".0/24");
		return buckets().tryConsume(Budget.REDEEM, List.of(Scope.ADDRESS, Scope.NETWORK), keys::of);
	}

}
