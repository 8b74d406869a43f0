package com.example.couponservice.coupon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * What every {@link CouponStore} must do, run against each implementation by a subclass:
 * the service relies on exactly these answers (an empty result means "read why", a
 * non-empty one means "this call changed the coupon").
 */
public abstract class CouponStoreContractTests {

	/** Instants as the service passes them: truncated to milliseconds. */
	protected static final Instant NOW = Instant.parse("2031-05-17T09:30:12.345Z");

	private static final Instant CREATED = NOW.minus(Duration.ofDays(1));

	private static final Instant TOMORROW = NOW.plus(Duration.ofDays(1));

	/** More than one insert chunk of the PostgreSQL store, so batches span several. */
	private static final int BATCH = 2500;

	private CouponStore store;

	/** An empty store; called before every test. */
	protected abstract CouponStore createStore();

	@BeforeEach
	void emptyStore() {
		this.store = createStore();
	}

	@Test
	void insertThenFindReturnsEveryField() {
		Coupon coupon = Coupon.fresh("ABCD2345", CREATED, TOMORROW, "spring-sale",
				Map.of("channel", "email", "note", "a \"quoted\" \\ value, ünïcödé ✓", "empty", ""));

		assertThat(this.store.insert(coupon)).isTrue();

		assertThat(this.store.find("ABCD2345")).contains(coupon);
	}

	@Test
	void insertThenFindReturnsAPlainCouponWithoutOptionalFields() {
		Coupon coupon = Coupon.fresh("ZZZZ9999", CREATED, null, null, Map.of());

		assertThat(this.store.insert(coupon)).isTrue();

		Coupon found = this.store.find("ZZZZ9999").orElseThrow();
		assertThat(found).isEqualTo(coupon);
		assertThat(found.status()).isEqualTo(CouponStatus.UNUSED);
		assertThat(found.expiresAt()).isNull();
		assertThat(found.redeemedAt()).isNull();
		assertThat(found.voidedAt()).isNull();
		assertThat(found.reference()).isNull();
		assertThat(found.campaign()).isNull();
		assertThat(found.metadata()).isEmpty();
	}

	@Test
	void insertAndInsertAllKeepAnExpiryAfterTheYear9999() {
		Instant farFuture = Instant.parse("+10000-01-01T00:00:00.001Z");
		Coupon single = Coupon.fresh("ABCD2345", CREATED, farFuture, null, Map.of());
		Coupon bulk = Coupon.fresh("ABCD2346", CREATED, farFuture, null, Map.of());

		assertThat(this.store.insert(single)).isTrue();
		assertThat(this.store.insertAll(List.of(bulk))).isEmpty();

		assertThat(this.store.find("ABCD2345")).contains(single);
		assertThat(this.store.find("ABCD2346")).contains(bulk);
	}

	@Test
	void insertWhenCodeIsTakenReturnsFalseAndKeepsTheFirstCoupon() {
		Coupon first = Coupon.fresh("ABCD2345", CREATED, null, "first", Map.of());
		this.store.insert(first);

		assertThat(this.store.insert(Coupon.fresh("ABCD2345", NOW, TOMORROW, "second", Map.of("k", "v")))).isFalse();

		assertThat(this.store.find("ABCD2345")).contains(first);
	}

	@Test
	void findWhenCodeIsUnknownIsEmpty() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));

		assertThat(this.store.find("ABCD2346")).isEmpty();
	}

	@Test
	void redeemWhenUnusedReturnsTheUsedCoupon() {
		Coupon coupon = Coupon.fresh("ABCD2345", CREATED, TOMORROW, "spring-sale", Map.of("channel", "email"));
		this.store.insert(coupon);

		Optional<Coupon> redeemed = this.store.redeem("ABCD2345", "order-1", NOW);

		assertThat(redeemed).contains(coupon.redeemed(NOW, "order-1"));
		assertThat(redeemed.orElseThrow().status()).isEqualTo(CouponStatus.USED);
		assertThat(this.store.find("ABCD2345")).isEqualTo(redeemed);
	}

	@Test
	void redeemWithoutReferenceStoresNoReference() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));

		Coupon redeemed = this.store.redeem("ABCD2345", null, NOW).orElseThrow();

		assertThat(redeemed.reference()).isNull();
		assertThat(redeemed.redeemedAt()).isEqualTo(NOW);
		assertThat(this.store.find("ABCD2345")).contains(redeemed);
	}

	@Test
	void redeemWhenAlreadyUsedIsEmptyAndKeepsTheFirstReferenceAndTime() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));
		Coupon first = this.store.redeem("ABCD2345", "order-1", NOW).orElseThrow();

		assertThat(this.store.redeem("ABCD2345", "order-2", NOW.plusSeconds(5))).isEmpty();
		assertThat(this.store.redeem("ABCD2345", "order-1", NOW.plusSeconds(6))).isEmpty();

		Coupon stored = this.store.find("ABCD2345").orElseThrow();
		assertThat(stored).isEqualTo(first);
		assertThat(stored.reference()).isEqualTo("order-1");
		assertThat(stored.redeemedAt()).isEqualTo(NOW);
	}

	@Test
	void redeemJustBeforeExpiryReturnsTheUsedCoupon() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, NOW.plusMillis(1), null, Map.of()));

		assertThat(this.store.redeem("ABCD2345", "order-1", NOW)).isPresent();
	}

	@Test
	void redeemAtOrAfterExpiryIsEmptyAndLeavesItUnused() {
		Coupon atNow = Coupon.fresh("ABCD2345", CREATED, NOW, null, Map.of());
		Coupon beforeNow = Coupon.fresh("ABCD2346", CREATED, NOW.minusSeconds(1), null, Map.of());
		this.store.insert(atNow);
		this.store.insert(beforeNow);

		assertThat(this.store.redeem("ABCD2345", "order-1", NOW)).isEmpty();
		assertThat(this.store.redeem("ABCD2346", "order-1", NOW)).isEmpty();

		assertThat(this.store.find("ABCD2345")).contains(atNow);
		assertThat(this.store.find("ABCD2346")).contains(beforeNow);
	}

	@Test
	void redeemWhenVoidIsEmptyAndLeavesItVoid() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));
		Coupon voided = this.store.voidCoupon("ABCD2345", NOW).orElseThrow();

		assertThat(this.store.redeem("ABCD2345", "order-1", NOW.plusSeconds(1))).isEmpty();

		assertThat(this.store.find("ABCD2345")).contains(voided);
	}

	@Test
	void redeemWhenCodeIsUnknownIsEmpty() {
		assertThat(this.store.redeem("ABCD2345", "order-1", NOW)).isEmpty();
		assertThat(this.store.find("ABCD2345")).isEmpty();
	}

	@Test
	void voidWhenUnusedReturnsTheVoidCoupon() {
		Coupon coupon = Coupon.fresh("ABCD2345", CREATED, TOMORROW, "spring-sale", Map.of("channel", "email"));
		this.store.insert(coupon);

		Optional<Coupon> voided = this.store.voidCoupon("ABCD2345", NOW);

		assertThat(voided).contains(coupon.voided(NOW));
		assertThat(voided.orElseThrow().status()).isEqualTo(CouponStatus.VOID);
		assertThat(voided.orElseThrow().voidedAt()).isEqualTo(NOW);
		assertThat(this.store.find("ABCD2345")).isEqualTo(voided);
	}

	@Test
	void voidWhenExpiredReturnsTheVoidCoupon() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, NOW.minusSeconds(1), null, Map.of()));

		assertThat(this.store.voidCoupon("ABCD2345", NOW))
			.hasValueSatisfying((voided) -> assertThat(voided.status()).isEqualTo(CouponStatus.VOID));
	}

	@Test
	void voidWhenUsedIsEmptyAndLeavesItUsed() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));
		Coupon redeemed = this.store.redeem("ABCD2345", "order-1", NOW).orElseThrow();

		assertThat(this.store.voidCoupon("ABCD2345", NOW.plusSeconds(1))).isEmpty();

		assertThat(this.store.find("ABCD2345")).contains(redeemed);
	}

	@Test
	void voidTwiceIsEmptyTheSecondTimeAndKeepsTheFirstTime() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));
		Coupon first = this.store.voidCoupon("ABCD2345", NOW).orElseThrow();

		assertThat(this.store.voidCoupon("ABCD2345", NOW.plusSeconds(1))).isEmpty();

		assertThat(this.store.find("ABCD2345")).contains(first);
	}

	@Test
	void voidWhenCodeIsUnknownIsEmpty() {
		assertThat(this.store.voidCoupon("ABCD2345", NOW)).isEmpty();
	}

	@Test
	void insertAllStoresEveryCoupon() {
		List<Coupon> batch = batch(BATCH, Map.of("batch", "1"));

		assertThat(this.store.insertAll(batch)).isEmpty();

		for (Coupon coupon : batch) {
			assertThat(this.store.find(coupon.code())).contains(coupon);
		}
		assertThat(this.store.countByStatus("bulk", NOW)).containsEntry(CouponStatus.UNUSED, (long) BATCH);
	}

	@Test
	void insertAllWhenOneCodeIsTakenReturnsItAndStoresNoneOfTheOthers() {
		List<Coupon> batch = batch(BATCH, Map.of());
		// Taken code in the last chunk, so earlier chunks went in before the conflict.
		Coupon existing = Coupon.fresh(batch.get(BATCH - 10).code(), CREATED, null, "existing", Map.of());
		this.store.insert(existing);

		assertThat(this.store.insertAll(batch)).containsExactly(existing.code());

		for (Coupon coupon : batch) {
			if (!coupon.code().equals(existing.code())) {
				assertThat(this.store.find(coupon.code())).as(coupon.code()).isEmpty();
			}
		}
		assertThat(this.store.find(existing.code())).contains(existing);
		assertThat(this.store.countByStatus(null, NOW)).containsEntry(CouponStatus.UNUSED, 1L);
	}

	@Test
	void insertAllWhenSeveralCodesAreTakenReturnsEveryOneInBatchOrder() {
		List<Coupon> batch = batch(BATCH, Map.of());
		List<String> taken = List.of(batch.get(5).code(), batch.get(1200).code(), batch.get(BATCH - 1).code());
		taken.forEach((code) -> this.store.insert(Coupon.fresh(code, CREATED, null, null, Map.of())));

		assertThat(this.store.insertAll(batch)).containsExactlyElementsOf(taken);

		assertThat(this.store.countByStatus(null, NOW)).containsEntry(CouponStatus.UNUSED, 3L);
	}

	@Test
	void insertAllWhenACodeRepeatsInTheBatchReturnsItAndStoresNone() {
		Coupon a = Coupon.fresh("AAAA2222", CREATED, null, null, Map.of());
		Coupon b = Coupon.fresh("BBBB3333", CREATED, null, null, Map.of());

		assertThat(this.store.insertAll(List.of(a, b, a))).containsExactly("AAAA2222");

		assertThat(this.store.find("AAAA2222")).isEmpty();
		assertThat(this.store.find("BBBB3333")).isEmpty();
	}

	@Test
	void insertAllOfNothingStoresNothing() {
		assertThat(this.store.insertAll(List.of())).isEmpty();
		assertThat(this.store.countByStatus(null, NOW).values()).containsOnly(0L);
	}

	@Test
	void countByStatusReportsEveryStatusAsALookupWould() {
		Instant later = NOW.plus(Duration.ofHours(2));
		// Campaign "summer" at "later": 2 unused, 2 expired (one exactly at its expiry),
		// 1 used (after expiry counts as used), 2 void (one of them expired).
		insert("SUMMER22", "summer", null);
		insert("SUMMER23", "summer", later.plusMillis(1));
		insert("SUMMER24", "summer", later);
		insert("SUMMER25", "summer", NOW.plusSeconds(1));
		insert("SUMMER26", "summer", NOW.plusSeconds(1));
		this.store.redeem("SUMMER26", "order-1", NOW);
		insert("SUMMER27", "summer", null);
		this.store.voidCoupon("SUMMER27", NOW);
		insert("SUMMER28", "summer", NOW.plusSeconds(1));
		this.store.voidCoupon("SUMMER28", NOW);
		// Another campaign and none at all.
		insert("XMAS2222", "xmas", null);
		insert("PLAN2222", null, null);
		this.store.redeem("PLAN2222", null, NOW);

		assertThat(this.store.countByStatus("summer", later)).containsOnly(entry(CouponStatus.UNUSED, 2L),
				entry(CouponStatus.USED, 1L), entry(CouponStatus.EXPIRED, 2L), entry(CouponStatus.VOID, 2L));
		assertThat(this.store.countByStatus("xmas", later)).containsOnly(entry(CouponStatus.UNUSED, 1L),
				entry(CouponStatus.USED, 0L), entry(CouponStatus.EXPIRED, 0L), entry(CouponStatus.VOID, 0L));
		assertThat(this.store.countByStatus(null, later)).containsOnly(entry(CouponStatus.UNUSED, 3L),
				entry(CouponStatus.USED, 2L), entry(CouponStatus.EXPIRED, 2L), entry(CouponStatus.VOID, 2L));
		// Before anything expired.
		assertThat(this.store.countByStatus("summer", NOW)).containsOnly(entry(CouponStatus.UNUSED, 4L),
				entry(CouponStatus.USED, 1L), entry(CouponStatus.EXPIRED, 0L), entry(CouponStatus.VOID, 2L));
	}

	@Test
	void countByStatusOfAnUnknownCampaignHasEveryStatusAtZero() {
		insert("SUMMER22", "summer", null);

		Map<CouponStatus, Long> counts = this.store.countByStatus("autumn", NOW);

		assertThat(counts.keySet()).isEqualTo(EnumSet.allOf(CouponStatus.class));
		assertThat(counts.values()).containsOnly(0L);
	}

	@Test
	void redeemByManyThreadsAtOnceChangesTheCouponExactlyOnce() throws InterruptedException {
		int threads = 64;
		this.store.insert(Coupon.fresh("RACE2345", CREATED, TOMORROW, null, Map.of()));
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Optional<Coupon>>> results = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				String reference = "order-" + i;
				results.add(executor.submit(() -> {
					ready.countDown();
					go.await();
					return this.store.redeem("RACE2345", reference, NOW);
				}));
			}
			assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
			go.countDown();

			List<Coupon> winners = new ArrayList<>();
			for (Future<Optional<Coupon>> result : results) {
				get(result).ifPresent(winners::add);
			}

			assertThat(winners).hasSize(1);
			Coupon winner = winners.get(0);
			assertThat(winner.reference()).startsWith("order-");
			assertThat(this.store.find("RACE2345")).contains(winner);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static Optional<Coupon> get(Future<Optional<Coupon>> result) throws InterruptedException {
		try {
			return result.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("a redeeming thread failed", ex);
		}
	}

	private void insert(String code, @Nullable String campaign, @Nullable Instant expiresAt) {
		assertThat(this.store.insert(Coupon.fresh(code, CREATED, expiresAt, campaign, Map.of()))).isTrue();
	}

	/**
	 * {@code count} coupons of campaign "bulk" with distinct codes, as the service makes
	 * them.
	 */
	private static List<Coupon> batch(int count, Map<String, String> metadata) {
		List<Coupon> batch = new ArrayList<>(count);
		for (long i = 0; i < count; i++) {
			batch.add(Coupon.fresh(CouponCode.unpack(i * 7919 + 12345), NOW, TOMORROW, "bulk", metadata));
		}
		return batch;
	}

}
