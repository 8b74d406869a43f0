package com.example.couponservice.coupon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

import com.example.couponservice.coupon.CouponEvent.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * What every {@link CouponStore} must do, run against each implementation by a subclass:
 * the outcome of every operation by {@link Coupon}'s rules, the change it makes, the
 * event it records (in the same atomic step), listing and export, under concurrency too.
 * A rule written here holds in every store.
 */
public abstract class CouponStoreContractTests {

	/** Instants as the service passes them: truncated to milliseconds. */
	protected static final Instant NOW = Instant.parse("2031-05-17T09:30:12.345Z");

	/** Events kept per coupon by the store under test. */
	protected static final int MAX_EVENTS = 100;

	private static final Instant CREATED = NOW.minus(Duration.ofDays(1));

	private static final Instant TOMORROW = NOW.plus(Duration.ofDays(1));

	/** More than one insert chunk of the PostgreSQL store, so batches span several. */
	private static final int BATCH = 2500;

	private CouponStore store;

	/**
	 * An empty store keeping {@link #MAX_EVENTS} events per coupon; before every test.
	 */
	protected abstract CouponStore createStore();

	@BeforeEach
	void emptyStore() {
		this.store = createStore();
	}

	private static Attempt attempt(@Nullable String reference, Instant now) {
		return new Attempt(now, reference, null, "192.0.2.1");
	}

	private static Attempt customer(@Nullable String customerId, @Nullable String reference) {
		return new Attempt(NOW, reference, customerId, "192.0.2.2");
	}

	private StoreResult<RedeemOutcome> redeem(String code, @Nullable String reference, Instant now) {
		return this.store.redeem(code, attempt(reference, now));
	}

	private StoreResult<VoidOutcome> voidCoupon(String code, Instant now) {
		return this.store.voidCoupon(code, attempt(null, now));
	}

	private Coupon stored(String code) {
		return this.store.find(code).orElseThrow();
	}

	private List<CouponEvent> events(String code) {
		return this.store.events(code).orElseThrow();
	}

	private List<Kind> kinds(String code) {
		return events(code).stream().map(CouponEvent::kind).toList();
	}

	// --- insert and find ------------------------------------------------------

	@Test
	void insertThenFindReturnsEveryField() {
		Coupon coupon = Coupon.fresh("ABCD2345", CREATED, TOMORROW, "spring-sale",
				Map.of("channel", "email", "note", "a \"quoted\" \\ value, ünïcödé ✓", "empty", ""), "customer-7");

		assertThat(this.store.insert(coupon)).isTrue();

		assertThat(this.store.find("ABCD2345")).contains(coupon);
		assertThat(events("ABCD2345")).containsExactly(CouponEvent.generated(coupon));
	}

	@Test
	void insertThenFindReturnsAPlainCouponWithoutOptionalFields() {
		Coupon coupon = Coupon.fresh("ZZZZ9999", CREATED, null, null, Map.of());

		assertThat(this.store.insert(coupon)).isTrue();

		Coupon found = stored("ZZZZ9999");
		assertThat(found).isEqualTo(coupon);
		assertThat(found.status()).isEqualTo(CouponStatus.UNUSED);
		assertThat(found.expiresAt()).isNull();
		assertThat(found.redeemedAt()).isNull();
		assertThat(found.voidedAt()).isNull();
		assertThat(found.reference()).isNull();
		assertThat(found.campaign()).isNull();
		assertThat(found.metadata()).isEmpty();
		assertThat(found.customerId()).isNull();
		assertThat(found.customerBound()).isFalse();
		assertThat(found.reversedAt()).isNull();
	}

	@Test
	void insertAndInsertAllKeepAnExpiryAfterTheYear9999() {
		Instant farFuture = Instant.parse("+10000-01-01T00:00:00.001Z");
		Coupon single = Coupon.fresh("ABCD2345", CREATED, farFuture, null, Map.of());
		Coupon bulk = Coupon.fresh("ABCD2346", CREATED, farFuture, null, Map.of(), "customer-1");

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
	void findAndEventsOfAnUnknownCodeAreEmpty() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));

		assertThat(this.store.find("ABCD2346")).isEmpty();
		assertThat(this.store.events("ABCD2346")).isEmpty();
	}

	// --- redeem ---------------------------------------------------------------

	@Test
	void redeemWhenUnusedUsesItAndRecordsWhoAndWhen() {
		Coupon coupon = Coupon.fresh("ABCD2345", CREATED, TOMORROW, "spring-sale", Map.of("channel", "email"));
		this.store.insert(coupon);

		StoreResult<RedeemOutcome> result = this.store.redeem("ABCD2345", attempt("order-1", NOW));

		assertThat(result.outcome()).isEqualTo(RedeemOutcome.REDEEMED);
		assertThat(result.coupon()).isEqualTo(coupon.redeemed(attempt("order-1", NOW)));
		assertThat(stored("ABCD2345")).isEqualTo(result.coupon());
		assertThat(stored("ABCD2345").status()).isEqualTo(CouponStatus.USED);
		assertThat(events("ABCD2345")).containsExactly(CouponEvent.generated(coupon),
				new CouponEvent(Kind.REDEEMED, NOW, null, "order-1", null, "192.0.2.1", null));
	}

	@Test
	void redeemWithoutReferenceStoresNoReference() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));

		Coupon redeemed = redeem("ABCD2345", null, NOW).coupon();

		assertThat(redeemed.reference()).isNull();
		assertThat(redeemed.redeemedAt()).isEqualTo(NOW);
		assertThat(stored("ABCD2345")).isEqualTo(redeemed);
	}

	@Test
	void aRepeatBySameReferenceIsRepeatedAndByAnotherIsRefusedAndNeitherChangesIt() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));
		Coupon first = redeem("ABCD2345", "order-1", NOW).coupon();

		StoreResult<RedeemOutcome> other = redeem("ABCD2345", "order-2", NOW.plusSeconds(5));
		StoreResult<RedeemOutcome> same = redeem("ABCD2345", "order-1", NOW.plusSeconds(6));
		StoreResult<RedeemOutcome> none = redeem("ABCD2345", null, NOW.plusSeconds(7));

		assertThat(other.outcome()).isEqualTo(RedeemOutcome.ALREADY_REDEEMED);
		assertThat(same.outcome()).isEqualTo(RedeemOutcome.REPEATED);
		assertThat(none.outcome()).isEqualTo(RedeemOutcome.ALREADY_REDEEMED);
		assertThat(List.of(other.coupon(), same.coupon(), none.coupon())).containsOnly(first);
		assertThat(stored("ABCD2345")).isEqualTo(first);
		assertThat(events("ABCD2345")).extracting(CouponEvent::kind, CouponEvent::outcome, CouponEvent::reference)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.GENERATED, null, null),
					org.assertj.core.groups.Tuple.tuple(Kind.REDEEMED, null, "order-1"),
					org.assertj.core.groups.Tuple.tuple(Kind.REDEMPTION_REFUSED, "already_redeemed", "order-2"),
					org.assertj.core.groups.Tuple.tuple(Kind.REDEMPTION_REPEATED, null, "order-1"),
					org.assertj.core.groups.Tuple.tuple(Kind.REDEMPTION_REFUSED, "already_redeemed", null));
	}

	@Test
	void redeemJustBeforeExpiryUsesIt() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, NOW.plusMillis(1), null, Map.of()));

		assertThat(redeem("ABCD2345", "order-1", NOW).outcome()).isEqualTo(RedeemOutcome.REDEEMED);
	}

	@Test
	void redeemAtOrAfterExpiryIsRefusedAndLeavesItUnused() {
		Coupon atNow = Coupon.fresh("ABCD2345", CREATED, NOW, null, Map.of());
		Coupon beforeNow = Coupon.fresh("ABCD2346", CREATED, NOW.minusSeconds(1), null, Map.of());
		this.store.insert(atNow);
		this.store.insert(beforeNow);

		assertThat(redeem("ABCD2345", "order-1", NOW).outcome()).isEqualTo(RedeemOutcome.EXPIRED);
		assertThat(redeem("ABCD2346", "order-1", NOW).outcome()).isEqualTo(RedeemOutcome.EXPIRED);

		assertThat(this.store.find("ABCD2345")).contains(atNow);
		assertThat(this.store.find("ABCD2346")).contains(beforeNow);
		assertThat(events("ABCD2345").get(1).outcome()).isEqualTo("expired");
	}

	@Test
	void redeemWhenVoidIsRefusedAndLeavesItVoid() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));
		Coupon voided = voidCoupon("ABCD2345", NOW).coupon();

		StoreResult<RedeemOutcome> result = redeem("ABCD2345", "order-1", NOW.plusSeconds(1));

		assertThat(result.outcome()).isEqualTo(RedeemOutcome.VOID);
		assertThat(result.coupon()).isEqualTo(voided);
		assertThat(this.store.find("ABCD2345")).contains(voided);
		assertThat(kinds("ABCD2345")).containsExactly(Kind.GENERATED, Kind.VOIDED, Kind.REDEMPTION_REFUSED);
	}

	@Test
	void redeemWhenCodeIsUnknownIsNotFoundAndStoresNothing() {
		StoreResult<RedeemOutcome> result = redeem("ABCD2345", "order-1", NOW);

		assertThat(result.outcome()).isEqualTo(RedeemOutcome.NOT_FOUND);
		assertThat(result.coupon()).isNull();
		assertThat(this.store.find("ABCD2345")).isEmpty();
		assertThat(this.store.events("ABCD2345")).isEmpty();
	}

	// --- customers ------------------------------------------------------------

	@Test
	void aBoundCouponIsRefusedToAnotherOrNoCustomerAndUsedByItsOwn() {
		Coupon bound = Coupon.fresh("BOUND234", CREATED, null, null, Map.of(), "customer-7");
		this.store.insert(bound);

		StoreResult<RedeemOutcome> stranger = this.store.redeem("BOUND234", customer("customer-8", "order-1"));
		StoreResult<RedeemOutcome> nobody = this.store.redeem("BOUND234", customer(null, "order-1"));

		assertThat(stranger.outcome()).isEqualTo(RedeemOutcome.CUSTOMER_MISMATCH);
		assertThat(nobody.outcome()).isEqualTo(RedeemOutcome.CUSTOMER_MISMATCH);
		assertThat(this.store.find("BOUND234")).contains(bound);

		StoreResult<RedeemOutcome> owner = this.store.redeem("BOUND234", customer("customer-7", "order-1"));
		assertThat(owner.outcome()).isEqualTo(RedeemOutcome.REDEEMED);
		assertThat(owner.coupon().customerId()).isEqualTo("customer-7");
		assertThat(owner.coupon().customerBound()).isTrue();
		// Used: a stranger still learns only that it is not theirs.
		assertThat(this.store.redeem("BOUND234", customer("customer-8", "order-1")).outcome())
			.isEqualTo(RedeemOutcome.CUSTOMER_MISMATCH);
		assertThat(events("BOUND234")).extracting(CouponEvent::outcome, CouponEvent::customerId)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(null, "customer-7"),
					org.assertj.core.groups.Tuple.tuple("customer_mismatch", "customer-8"),
					org.assertj.core.groups.Tuple.tuple("customer_mismatch", null),
					org.assertj.core.groups.Tuple.tuple(null, "customer-7"),
					org.assertj.core.groups.Tuple.tuple("customer_mismatch", "customer-8"));
	}

	@Test
	void anUnboundCouponRecordsWhoRedeemedIt() {
		this.store.insert(Coupon.fresh("FREE2345", CREATED, null, null, Map.of()));

		Coupon redeemed = this.store.redeem("FREE2345", customer("customer-9", "order-1")).coupon();

		assertThat(redeemed.customerId()).isEqualTo("customer-9");
		assertThat(redeemed.customerBound()).isFalse();
		assertThat(stored("FREE2345")).isEqualTo(redeemed);
	}

	// --- validate -------------------------------------------------------------

	@Test
	void validateFindsEveryReasonAndChangesNothingButTheHistory() {
		this.store.insert(Coupon.fresh("VALID234", CREATED, TOMORROW, null, Map.of()));
		this.store.insert(Coupon.fresh("USED2345", CREATED, null, null, Map.of()));
		redeem("USED2345", "order-1", NOW);
		this.store.insert(Coupon.fresh("OLD23456", CREATED, NOW, null, Map.of()));
		this.store.insert(Coupon.fresh("VOID2345", CREATED, null, null, Map.of()));
		voidCoupon("VOID2345", NOW);
		this.store.insert(Coupon.fresh("MINE2345", CREATED, null, null, Map.of(), "customer-7"));
		Coupon valid = stored("VALID234");

		assertThat(this.store.validate("VALID234", customer(null, null)).outcome()).isEqualTo(ValidationOutcome.VALID);
		assertThat(this.store.validate("USED2345", customer(null, null)).outcome()).isEqualTo(ValidationOutcome.USED);
		assertThat(this.store.validate("OLD23456", customer(null, null)).outcome())
			.isEqualTo(ValidationOutcome.EXPIRED);
		assertThat(this.store.validate("VOID2345", customer(null, null)).outcome()).isEqualTo(ValidationOutcome.VOID);
		assertThat(this.store.validate("MINE2345", customer("customer-8", null)).outcome())
			.isEqualTo(ValidationOutcome.CUSTOMER_MISMATCH);
		assertThat(this.store.validate("MINE2345", customer("customer-7", null)).outcome())
			.isEqualTo(ValidationOutcome.VALID);
		StoreResult<ValidationOutcome> unknown = this.store.validate("ZZZZZZZZ", customer(null, null));
		assertThat(unknown.outcome()).isEqualTo(ValidationOutcome.NOT_FOUND);
		assertThat(unknown.coupon()).isNull();

		assertThat(stored("VALID234")).isEqualTo(valid);
		assertThat(events("VALID234")).last()
			.isEqualTo(new CouponEvent(Kind.VALIDATED, NOW, "valid", null, null, "192.0.2.2", null));
		assertThat(events("MINE2345")).extracting(CouponEvent::outcome)
			.containsExactly(null, "customer_mismatch", "valid");
		assertThat(events("USED2345")).last().extracting(CouponEvent::outcome).isEqualTo("used");
	}

	// --- void -----------------------------------------------------------------

	@Test
	void voidWhenUnusedVoidsItOnceWithItsEvent() {
		Coupon coupon = Coupon.fresh("ABCD2345", CREATED, TOMORROW, "spring-sale", Map.of("channel", "email"));
		this.store.insert(coupon);

		StoreResult<VoidOutcome> first = voidCoupon("ABCD2345", NOW);
		StoreResult<VoidOutcome> again = voidCoupon("ABCD2345", NOW.plusSeconds(1));

		assertThat(first.outcome()).isEqualTo(VoidOutcome.VOIDED);
		assertThat(first.coupon()).isEqualTo(coupon.voided(NOW));
		assertThat(again.outcome()).isEqualTo(VoidOutcome.ALREADY_VOID);
		assertThat(again.coupon()).isEqualTo(first.coupon());
		assertThat(stored("ABCD2345").voidedAt()).isEqualTo(NOW);
		assertThat(kinds("ABCD2345")).containsExactly(Kind.GENERATED, Kind.VOIDED);
	}

	@Test
	void voidWhenExpiredVoidsIt() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, NOW.minusSeconds(1), null, Map.of()));

		assertThat(voidCoupon("ABCD2345", NOW).coupon().status()).isEqualTo(CouponStatus.VOID);
	}

	@Test
	void voidWhenUsedIsRefusedAndLeavesItUsed() {
		this.store.insert(Coupon.fresh("ABCD2345", CREATED, null, null, Map.of()));
		Coupon redeemed = redeem("ABCD2345", "order-1", NOW).coupon();

		StoreResult<VoidOutcome> result = voidCoupon("ABCD2345", NOW.plusSeconds(1));

		assertThat(result.outcome()).isEqualTo(VoidOutcome.USED);
		assertThat(this.store.find("ABCD2345")).contains(redeemed);
	}

	@Test
	void voidWhenCodeIsUnknownIsNotFound() {
		assertThat(voidCoupon("ABCD2345", NOW).outcome()).isEqualTo(VoidOutcome.NOT_FOUND);
	}

	// --- reverse --------------------------------------------------------------

	@Test
	void reverseWithTheRedemptionsReferenceMakesItUnusedForAnyoneAgain() {
		this.store.insert(Coupon.fresh("BACK2345", CREATED, TOMORROW, "spring", Map.of()));
		this.store.redeem("BACK2345", customer("customer-1", "order-1"));
		Attempt reversal = new Attempt(NOW.plusSeconds(60), "order-1", null, "192.0.2.3");

		StoreResult<ReverseOutcome> result = this.store.reverse("BACK2345", reversal, "payment failed");

		assertThat(result.outcome()).isEqualTo(ReverseOutcome.REVERSED);
		Coupon back = result.coupon();
		assertThat(back.status()).isEqualTo(CouponStatus.UNUSED);
		assertThat(back.redeemedAt()).isNull();
		assertThat(back.reference()).isNull();
		assertThat(back.customerId()).as("an unbound coupon forgets who redeemed it").isNull();
		assertThat(back.reversedAt()).isEqualTo(NOW.plusSeconds(60));
		assertThat(stored("BACK2345")).isEqualTo(back);
		assertThat(events("BACK2345")).last()
			.isEqualTo(new CouponEvent(Kind.REVERSED, NOW.plusSeconds(60), null, "order-1", null, "192.0.2.3",
					"payment failed"));

		StoreResult<RedeemOutcome> again = this.store.redeem("BACK2345", customer("customer-2", "order-2"));
		assertThat(again.outcome()).isEqualTo(RedeemOutcome.REDEEMED);
		assertThat(again.coupon().reversedAt()).isNull();
		assertThat(kinds("BACK2345")).containsExactly(Kind.GENERATED, Kind.REDEEMED, Kind.REVERSED, Kind.REDEEMED);
	}

	@Test
	void aRepeatedReversalAnswersAsARepeatAndChangesNothing() {
		this.store.insert(Coupon.fresh("BACK2345", CREATED, null, null, Map.of()));
		redeem("BACK2345", null, NOW);
		Coupon back = this.store.reverse("BACK2345", attempt(null, NOW.plusSeconds(1)), null).coupon();

		StoreResult<ReverseOutcome> repeat = this.store.reverse("BACK2345", attempt(null, NOW.plusSeconds(2)), null);
		StoreResult<ReverseOutcome> other = this.store.reverse("BACK2345", attempt("order-9", NOW.plusSeconds(3)),
				null);

		assertThat(repeat.outcome()).isEqualTo(ReverseOutcome.ALREADY_REVERSED);
		assertThat(repeat.coupon()).isEqualTo(back);
		assertThat(other.outcome()).isEqualTo(ReverseOutcome.NOT_REDEEMED);
		assertThat(kinds("BACK2345")).containsExactly(Kind.GENERATED, Kind.REDEEMED, Kind.REVERSED);
	}

	@Test
	void reverseIsRefusedForAnotherReferenceAFreshOrVoidCouponAndAnUnknownCode() {
		this.store.insert(Coupon.fresh("USED2345", CREATED, null, null, Map.of()));
		Coupon used = redeem("USED2345", "order-1", NOW).coupon();
		this.store.insert(Coupon.fresh("FRESH234", CREATED, null, null, Map.of()));
		this.store.insert(Coupon.fresh("VOID2345", CREATED, null, null, Map.of()));
		voidCoupon("VOID2345", NOW);

		assertThat(this.store.reverse("USED2345", attempt("order-2", NOW), null).outcome())
			.isEqualTo(ReverseOutcome.REFERENCE_MISMATCH);
		assertThat(this.store.reverse("USED2345", attempt(null, NOW), null).outcome())
			.isEqualTo(ReverseOutcome.REFERENCE_MISMATCH);
		assertThat(this.store.reverse("FRESH234", attempt(null, NOW), null).outcome())
			.isEqualTo(ReverseOutcome.NOT_REDEEMED);
		assertThat(this.store.reverse("VOID2345", attempt(null, NOW), null).outcome()).isEqualTo(ReverseOutcome.VOID);
		assertThat(this.store.reverse("ZZZZZZZZ", attempt(null, NOW), null).outcome())
			.isEqualTo(ReverseOutcome.NOT_FOUND);
		assertThat(stored("USED2345")).isEqualTo(used);
		assertThat(kinds("USED2345")).containsExactly(Kind.GENERATED, Kind.REDEEMED);
	}

	@Test
	void aBoundCouponReversedStaysBoundAndAnExpiredOneComesBackExpired() {
		this.store.insert(Coupon.fresh("MINE2345", CREATED, NOW.plusSeconds(10), null, Map.of(), "customer-7"));
		this.store.redeem("MINE2345", customer("customer-7", "order-1"));

		Coupon back = this.store.reverse("MINE2345", attempt("order-1", NOW.plusSeconds(20)), null).coupon();

		assertThat(back.customerId()).isEqualTo("customer-7");
		assertThat(back.customerBound()).isTrue();
		assertThat(back.statusAt(NOW.plusSeconds(20))).isEqualTo(CouponStatus.EXPIRED);
	}

	// --- history --------------------------------------------------------------

	@Test
	void aHammeredCouponKeepsItsFirstEventAndTheLatestOthers() {
		Coupon coupon = Coupon.fresh("HAMMER23", CREATED, null, null, Map.of());
		this.store.insert(coupon);
		redeem("HAMMER23", "order-0", NOW);
		for (int i = 1; i <= MAX_EVENTS + 20; i++) {
			redeem("HAMMER23", "order-" + i, NOW.plusMillis(i));
		}

		List<CouponEvent> events = events("HAMMER23");

		assertThat(events).hasSize(MAX_EVENTS);
		assertThat(events.get(0)).isEqualTo(CouponEvent.generated(coupon));
		assertThat(events.get(1).reference()).isEqualTo("order-22");
		assertThat(events.get(MAX_EVENTS - 1).reference()).isEqualTo("order-" + (MAX_EVENTS + 20));
		for (int i = 2; i < events.size(); i++) {
			assertThat(events.get(i).at()).isAfter(events.get(i - 1).at());
		}
	}

	// --- list and export ------------------------------------------------------

	@Test
	void listGoesInCodeOrderFromAfterAndFollowingItVisitsEachOnce() {
		// ASCII order: digits before letters.
		List<String> codes = List.of("22222222", "2222222A", "9ZZZZZZZ", "AAAAAAA2", "AAAAAAAA", "ZZZZZZZZ");
		for (String code : List.of("ZZZZZZZZ", "AAAAAAAA", "22222222", "9ZZZZZZZ", "AAAAAAA2", "2222222A")) {
			this.store.insert(Coupon.fresh(code, CREATED, null, null, Map.of()));
		}

		List<String> visited = new ArrayList<>();
		String after = null;
		List<Coupon> page;
		do {
			page = this.store.list(CouponQuery.ALL, after, 4, NOW);
			page.forEach((coupon) -> visited.add(coupon.code()));
			after = page.isEmpty() ? null : page.get(page.size() - 1).code();
		}
		while (page.size() == 4);

		assertThat(visited).containsExactlyElementsOf(codes);
		assertThat(this.store.list(CouponQuery.ALL, "9ZZZZZZZ", 2, NOW)).extracting(Coupon::code)
			.containsExactly("AAAAAAA2", "AAAAAAAA");
		assertThat(this.store.list(CouponQuery.ALL, "ZZZZZZZZ", 10, NOW)).isEmpty();
	}

	@Test
	void listAndExportFilterByCampaignStatusAndCustomer() {
		this.store.insert(Coupon.fresh("CAMP2222", CREATED, null, "summer", Map.of()));
		this.store.insert(Coupon.fresh("CAMP3333", CREATED, NOW.minusSeconds(1), "summer", Map.of()));
		this.store.insert(Coupon.fresh("CAMP4444", CREATED, null, "summer", Map.of(), "customer-7"));
		this.store.insert(Coupon.fresh("CAMP5555", CREATED, null, "winter", Map.of()));
		this.store.redeem("CAMP5555", customer("customer-7", "order-1"));
		this.store.insert(Coupon.fresh("CAMP6666", CREATED, null, null, Map.of()));
		voidCoupon("CAMP6666", NOW);

		assertThat(codes(new CouponQuery("summer", null, null))).containsExactly("CAMP2222", "CAMP3333", "CAMP4444");
		assertThat(codes(new CouponQuery(null, CouponStatus.EXPIRED, null))).containsExactly("CAMP3333");
		assertThat(codes(new CouponQuery(null, CouponStatus.UNUSED, null))).containsExactly("CAMP2222", "CAMP4444");
		assertThat(codes(new CouponQuery(null, CouponStatus.USED, null))).containsExactly("CAMP5555");
		assertThat(codes(new CouponQuery(null, CouponStatus.VOID, null))).containsExactly("CAMP6666");
		assertThat(codes(new CouponQuery(null, null, "customer-7"))).containsExactly("CAMP4444", "CAMP5555");
		assertThat(codes(new CouponQuery("summer", CouponStatus.UNUSED, "customer-7"))).containsExactly("CAMP4444");
		assertThat(codes(new CouponQuery("autumn", null, null))).isEmpty();
		for (CouponQuery query : List.of(CouponQuery.ALL, new CouponQuery("summer", null, null),
				new CouponQuery(null, CouponStatus.UNUSED, "customer-7"))) {
			List<String> exported = new ArrayList<>();
			this.store.export(query, NOW, (coupon) -> exported.add(coupon.code()));
			assertThat(exported).as(query.toString()).containsExactlyInAnyOrderElementsOf(codes(query));
		}
	}

	private List<String> codes(CouponQuery query) {
		return this.store.list(query, null, 1000, NOW).stream().map(Coupon::code).toList();
	}

	// --- bulk -----------------------------------------------------------------

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
				assertThat(this.store.events(coupon.code())).as(coupon.code()).isEmpty();
			}
		}
		assertThat(this.store.find(existing.code())).contains(existing);
		assertThat(this.store.countByStatus(null, NOW)).containsEntry(CouponStatus.UNUSED, 1L);
		assertThat(this.store.list(CouponQuery.ALL, null, 10, NOW)).containsExactly(existing);
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

	// --- counts ---------------------------------------------------------------

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
		redeem("SUMMER26", "order-1", NOW);
		insert("SUMMER27", "summer", null);
		voidCoupon("SUMMER27", NOW);
		insert("SUMMER28", "summer", NOW.plusSeconds(1));
		voidCoupon("SUMMER28", NOW);
		// Another campaign and none at all.
		insert("XMAS2222", "xmas", null);
		insert("PLAN2222", null, null);
		redeem("PLAN2222", null, NOW);

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

	// --- races ----------------------------------------------------------------

	@Test
	void redeemByManyThreadsAtOnceChangesTheCouponExactlyOnce() throws Exception {
		this.store.insert(Coupon.fresh("RACE2345", CREATED, TOMORROW, null, Map.of()));

		List<StoreResult<RedeemOutcome>> results = race(64, (i) -> redeem("RACE2345", "order-" + i, NOW));

		List<Coupon> winners = results.stream()
			.filter((result) -> result.outcome() == RedeemOutcome.REDEEMED)
			.map(StoreResult::coupon)
			.toList();
		assertThat(winners).hasSize(1);
		assertThat(results).extracting(StoreResult::outcome)
			.containsOnly(RedeemOutcome.REDEEMED, RedeemOutcome.ALREADY_REDEEMED);
		assertThat(this.store.find("RACE2345")).contains(winners.get(0));
		assertThat(events("RACE2345")).hasSize(65);
		assertReplays("RACE2345");
	}

	/**
	 * Reversals, redemptions and voids of one code at once: whatever order they took,
	 * each outcome was decided on the coupon as the last change left it, and its history
	 * replays to exactly the state stored.
	 */
	@Test
	void reverseRacingRedeemAndVoidLeavesAHistoryThatReplaysToTheStoredState() throws Exception {
		for (int round = 0; round < 10; round++) {
			String code = CouponCode.unpack(777_000L + round);
			this.store.insert(Coupon.fresh(code, CREATED, TOMORROW, null, Map.of()));
			redeem(code, "order-0", NOW);

			List<Enum<?>> outcomes = race(24, (i) -> switch (i % 3) {
				case 0 -> this.store.reverse(code, attempt("order-0", NOW), "cancelled").outcome();
				case 1 -> redeem(code, "order-" + i, NOW).outcome();
				default -> voidCoupon(code, NOW).outcome();
			});

			assertThat(outcomes).filteredOn(ReverseOutcome.REVERSED::equals).hasSizeLessThanOrEqualTo(1);
			assertReplays(code);
		}
	}

	/** The stored status is what the coupon's changes, replayed in order, lead to. */
	private void assertReplays(String code) {
		CouponStatus status = null;
		for (CouponEvent event : events(code)) {
			switch (event.kind()) {
				case GENERATED -> status = CouponStatus.UNUSED;
				case REDEEMED -> {
					assertThat(status).as("%s redeemed only when unused", code).isEqualTo(CouponStatus.UNUSED);
					status = CouponStatus.USED;
				}
				case REVERSED -> {
					assertThat(status).as("%s reversed only when used", code).isEqualTo(CouponStatus.USED);
					status = CouponStatus.UNUSED;
				}
				case VOIDED -> {
					assertThat(status).as("%s voided only when unused", code).isEqualTo(CouponStatus.UNUSED);
					status = CouponStatus.VOID;
				}
				default -> {
					// Attempts that changed nothing.
				}
			}
		}
		assertThat(stored(code).status()).isEqualTo(status);
	}

	/** Run {@code task(i)} on {@code threads} threads released together. */
	private static <T> List<T> race(int threads, java.util.function.IntFunction<T> task) throws Exception {
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				int index = i;
				Callable<T> call = () -> {
					ready.countDown();
					go.await();
					return task.apply(index);
				};
				futures.add(executor.submit(call));
			}
			assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				try {
					results.add(future.get(30, TimeUnit.SECONDS));
				}
				catch (ExecutionException | TimeoutException ex) {
					throw new AssertionError("a racing thread failed", ex);
				}
			}
			return results;
		}
		finally {
			executor.shutdownNow();
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
