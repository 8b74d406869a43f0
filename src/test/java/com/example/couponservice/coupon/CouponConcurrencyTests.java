package com.example.couponservice.coupon;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import com.example.couponservice.coupon.CouponService.Redemption;
import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads at once against one service: the atomicity claims. */
class CouponConcurrencyTests {

	static final CouponProperties.Events EVENTS = new CouponProperties.Events(100, Duration.ofDays(400),
			Duration.ofHours(1));

	/** No expiry, no campaign, no metadata. */
	static final CouponTemplate PLAIN = new CouponTemplate(null, null, Map.of(), null);

	private static final int THREADS = 64;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CouponMetrics metrics = new CouponMetrics(this.registry);

	private final MutableClock clock = new MutableClock();

	private final CodeGenerator generator = new CodeGenerator(new SecureRandom());

	/** A small pool, so concurrent generation exercises both the pool and on-demand. */
	private final CodePool pool = new CodePool(this.generator, this.metrics, this.clock,
			new CouponProperties.Pool(64, 32, Duration.ofMillis(50)));

	private final InMemoryCouponStore store = new InMemoryCouponStore(100L << 20, 100);

	private final CouponService service = new CouponService(this.store, this.pool, this.generator, this.metrics,
			this.clock,
			new CouponProperties(new CouponProperties.Pool(64, 32, Duration.ofMillis(50)),
					new CouponProperties.Generation(10, 10_000), new CouponProperties.Store(DataSize.ofBytes(0)),
					new CouponProperties.Redeem(false), EVENTS, null));

	private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);

	@AfterEach
	void shutdown() {
		this.executor.shutdownNow();
		this.pool.close();
	}

	/** Runs {@code task} on every thread, released together by a latch. */
	private <T> List<T> race(int threads, Callable<T> task) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<T>> futures = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			futures.add(this.executor.submit(() -> {
				start.await();
				return task.call();
			}));
		}
		start.countDown();
		List<T> results = new ArrayList<>();
		for (Future<T> future : futures) {
			results.add(future.get());
		}
		return results;
	}

	@Test
	void sixtyFourThreadsRedeemingOneCodeGiveExactlyOneFirstRedemption() throws Exception {
		for (int round = 0; round < 20; round++) {
			String code = this.service.generate(PLAIN).code();
			List<Redemption> results = race(THREADS, () -> this.service.redeem(code, null, null, null));
			assertThat(results.stream().filter((r) -> !r.alreadyRedeemed()).count()).isEqualTo(1);
			assertThat(results.stream().map((r) -> r.coupon().redeemedAt()).distinct()).hasSize(1);
		}
		assertThat(this.registry.get("coupon.redemptions").tag("outcome", "redeemed").counter().count()).isEqualTo(20);
		assertThat(this.registry.get("coupon.redemptions").tag("outcome", "already_redeemed").counter().count())
			.isEqualTo(20 * (THREADS - 1));
	}

	@Test
	void racingReferencesForOneCodeLeaveExactlyOneWinnerAndItsReferenceStored() throws Exception {
		for (int round = 0; round < 20; round++) {
			String code = this.service.generate(PLAIN).code();
			Set<String> winners = ConcurrentHashMap.newKeySet();
			AtomicInteger orders = new AtomicInteger();
			List<Boolean> conflicts = new ArrayList<>(race(THREADS, () -> {
				String reference = "order-" + orders.incrementAndGet();
				try {
					this.service.redeem(code, reference, null, null);
					winners.add(reference);
					return false;
				}
				catch (CouponConflictException ex) {
					return true;
				}
			}));
			assertThat(winners).hasSize(1);
			assertThat(conflicts.stream().filter((c) -> c).count()).isEqualTo(THREADS - 1);
			assertThat(this.store.find(code).orElseThrow().reference()).isEqualTo(winners.iterator().next());
		}
	}

	@Test
	void concurrentGenerationNeverIssuesTheSameCodeTwice() throws Exception {
		int perThread = 500;
		List<List<String>> batches = race(16, () -> {
			List<String> codes = new ArrayList<>(perThread);
			for (int i = 0; i < perThread; i++) {
				codes.add(this.service.generate(PLAIN).code());
			}
			return codes;
		});
		Set<String> distinct = ConcurrentHashMap.newKeySet();
		batches.forEach(distinct::addAll);
		assertThat(distinct).hasSize(16 * perThread);
		assertThat(this.store.size()).isEqualTo(16 * perThread);
		double pool = this.registry.get("coupon.generated").tag("source", "pool").counter().count();
		double onDemand = this.registry.get("coupon.generated").tag("source", "on_demand").counter().count();
		assertThat(pool + onDemand).isEqualTo(16 * perThread);
	}

	@Test
	void voidAndRedeemRacingForOneCodeNeverBothSucceed() throws Exception {
		for (int round = 0; round < 50; round++) {
			String code = this.service.generate(PLAIN).code();
			AtomicInteger turn = new AtomicInteger();
			List<String> outcomes = race(2, () -> {
				if (turn.getAndIncrement() == 0) {
					try {
						this.service.voidCoupon(code, null);
						return "void";
					}
					catch (CouponConflictException ex) {
						return "void-refused";
					}
				}
				try {
					this.service.redeem(code, null, null, null);
					return "redeemed";
				}
				catch (CouponConflictException ex) {
					return "redeem-refused";
				}
			});
			CouponStatus status = this.store.find(code).orElseThrow().status();
			assertThat(outcomes).containsExactlyInAnyOrder((status == CouponStatus.VOID)
					? new String[] { "void", "redeem-refused" } : new String[] { "void-refused", "redeemed" });
		}
	}

	/**
	 * A bulk insert that fails on its last code puts its other coupons in one by one and
	 * takes them out again. Meanwhile another thread redeems codes of that batch: it may
	 * see a coupon come and go, but it never gets an error other than "not found", and a
	 * coupon it redeemed is never erased by the rollback.
	 */
	@Test
	void redemptionsOfAHalfInsertedBatchGetAnAnswerAndKeepWhatTheyChanged() throws Exception {
		for (int round = 0; round < 20; round++) {
			List<Coupon> batch = new ArrayList<>();
			for (String code : this.generator.next(500)) {
				batch.add(Coupon.fresh(code, this.clock.instant(), null, null, Map.of()));
			}
			// The last code is taken, so every insert of the batch is rolled back.
			this.store.insert(batch.get(batch.size() - 1));
			CountDownLatch start = new CountDownLatch(1);
			Future<List<String>> inserter = this.executor.submit(() -> {
				start.await();
				return this.store.insertAll(batch);
			});
			Future<List<String>> redeemer = this.executor.submit(() -> {
				start.await();
				List<String> redeemed = new ArrayList<>();
				for (int i = batch.size() - 2; i >= 0; i--) {
					String code = batch.get(i).code();
					try {
						this.service.redeem(code, "order-" + code, null, null);
						redeemed.add(code);
					}
					catch (CouponNotFoundException ex) {
						// Not in yet, or rolled back already.
					}
				}
				return redeemed;
			});
			start.countDown();
			assertThat(inserter.get(30, TimeUnit.SECONDS)).containsExactly(batch.get(batch.size() - 1).code());
			for (String code : redeemer.get(30, TimeUnit.SECONDS)) {
				assertThat(this.store.find(code)).as("redeemed %s during the batch", code)
					.hasValueSatisfying((coupon) -> assertThat(coupon.status()).isEqualTo(CouponStatus.USED));
			}
		}
	}

}
