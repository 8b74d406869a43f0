package com.example.couponservice.coupon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The default store: a {@link ConcurrentSkipListMap} keyed by the code's
 * {@link CouponCode#orderKey order key}, so listings walk it in code order from any code
 * on.
 * <p>
 * A plain coupon costs about 100 bytes: the skip-list node and its share of index nodes,
 * the boxed {@code Long} key and a 40-byte {@link Entry}. What most coupons lack (expiry,
 * campaign, metadata, a bound customer) sits in one {@link Extras} object shared by the
 * coupons of one bulk request; what a redemption adds (reference, the customer who
 * redeemed, a reversal) sits in a {@link Details} object; the events after
 * {@code GENERATED} (which is derived from the coupon) sit in an array. A fresh coupon
 * has none of the three.
 * <p>
 * Every operation on a coupon is one {@code compute} of the map: the rules of
 * {@link Coupon} decide on the entry as it is, and the new entry carries the change and
 * its event together. The skip list applies the function by compare-and-set and may call
 * it again on a newer entry; the functions have no side effects, and the outcome kept is
 * the one of the call that won.
 * <p>
 * The store holds coupons up to a memory budget, counted in estimated bytes (the entry,
 * its extras, details, events and their strings), not in coupons: a coupon with 16
 * metadata entries costs a hundred times a plain one. Generation past the budget is
 * refused with {@link StoreFullException}; a change to an existing coupon is never
 * refused, and its bytes are counted too.
 */
public class InMemoryCouponStore implements CouponStore {

	/** What a coupon without extras costs: node, index share, key and entry. */
	static final long ENTRY_BYTES = 100;

	private static final long NONE = Long.MIN_VALUE;

	private final ConcurrentSkipListMap<Long, Entry> coupons = new ConcurrentSkipListMap<>();

	private final AtomicLong size = new AtomicLong();

	private final AtomicLong bytes = new AtomicLong();

	private final long maxBytes;

	private final int maxEventsPerCoupon;

	/**
	 * @param maxBytes the memory budget in estimated bytes; past it
	 * {@link StoreFullException}
	 * @param maxEventsPerCoupon events kept per coupon, its {@code GENERATED} event
	 * included (at least 2)
	 */
	public InMemoryCouponStore(long maxBytes, int maxEventsPerCoupon) {
		if (maxBytes <= 0 || maxEventsPerCoupon < 2) {
			throw new IllegalArgumentException("maxBytes must be positive and maxEventsPerCoupon at least 2");
		}
		this.maxBytes = maxBytes;
		this.maxEventsPerCoupon = maxEventsPerCoupon;
	}

	private static Long key(String code) {
		return CouponCode.orderKey(code);
	}

	@Override
	public boolean insert(Coupon coupon) {
		Entry entry = Entry.of(coupon, null);
		long cost = ENTRY_BYTES + Extras.bytes(entry.extras);
		reserve(cost);
		if (this.coupons.putIfAbsent(key(coupon.code()), entry) != null) {
			this.bytes.addAndGet(-cost);
			return false;
		}
		this.size.incrementAndGet();
		return true;
	}

	/**
	 * Puts the coupons in one by one, so others may see part of a batch that then fails;
	 * the service copes with a coupon that comes and goes. A failed batch takes out
	 * exactly the entries it put in, and only while they are unchanged.
	 */
	@Override
	public List<String> insertAll(List<Coupon> batch) {
		List<Entry> entries = new ArrayList<>(batch.size());
		long cost = 0;
		Extras shared = null;
		for (Coupon coupon : batch) {
			Entry entry = Entry.of(coupon, shared);
			if (entry.extras != null && entry.extras != shared) {
				cost += Extras.bytes(entry.extras);
			}
			shared = entry.extras;
			entries.add(entry);
			cost += ENTRY_BYTES;
		}
		reserve(cost);
		List<Long> inserted = new ArrayList<>(batch.size());
		List<Entry> insertedEntries = new ArrayList<>(batch.size());
		List<String> taken = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			Long key = key(batch.get(i).code());
			if (this.coupons.putIfAbsent(key, entries.get(i)) == null) {
				inserted.add(key);
				insertedEntries.add(entries.get(i));
			}
			else {
				taken.add(batch.get(i).code());
			}
		}
		if (!taken.isEmpty()) {
			for (int i = 0; i < inserted.size(); i++) {
				this.coupons.remove(inserted.get(i), insertedEntries.get(i));
			}
			this.bytes.addAndGet(-cost);
		}
		else {
			this.size.addAndGet(inserted.size());
		}
		return taken;
	}

	private void reserve(long cost) {
		if (this.bytes.addAndGet(cost) > this.maxBytes) {
			this.bytes.addAndGet(-cost);
			throw new StoreFullException(this.maxBytes);
		}
	}

	@Override
	public Optional<Coupon> find(String code) {
		Entry entry = this.coupons.get(key(code));
		return (entry != null) ? Optional.of(entry.toCoupon(code)) : Optional.empty();
	}

	@Override
	public StoreResult<RedeemOutcome> redeem(String code, Attempt attempt) {
		return change(code, RedeemOutcome.NOT_FOUND, (coupon) -> {
			RedeemOutcome outcome = coupon.redeemOutcome(attempt);
			Coupon after = (outcome == RedeemOutcome.REDEEMED) ? coupon.redeemed(attempt) : coupon;
			return new Step<>(outcome, after, CouponEvent.redemption(outcome, attempt));
		});
	}

	@Override
	public StoreResult<ValidationOutcome> validate(String code, Attempt attempt) {
		return change(code, ValidationOutcome.NOT_FOUND, (coupon) -> {
			ValidationOutcome outcome = coupon.validationOutcome(attempt);
			return new Step<>(outcome, coupon, CouponEvent.validation(outcome, attempt));
		});
	}

	@Override
	public StoreResult<VoidOutcome> voidCoupon(String code, Attempt attempt) {
		return change(code, VoidOutcome.NOT_FOUND, (coupon) -> {
			VoidOutcome outcome = coupon.voidOutcome();
			return (outcome == VoidOutcome.VOIDED)
					? new Step<>(outcome, coupon.voided(attempt.now()), CouponEvent.voided(attempt))
					: new Step<>(outcome, coupon, null);
		});
	}

	@Override
	public StoreResult<ReverseOutcome> reverse(String code, Attempt attempt, @Nullable String reason) {
		return change(code, ReverseOutcome.NOT_FOUND, (coupon) -> {
			ReverseOutcome outcome = coupon.reverseOutcome(attempt.reference());
			return (outcome == ReverseOutcome.REVERSED)
					? new Step<>(outcome, coupon.reversed(attempt), CouponEvent.reversed(attempt, reason))
					: new Step<>(outcome, coupon, null);
		});
	}

	/**
	 * Apply {@code rule} to the coupon atomically: the entry it leaves holds the changed
	 * coupon and the step's event, or stays as it was when there is neither.
	 */
	private <O extends Enum<O>> StoreResult<O> change(String code, O notFound, Function<Coupon, Step<O>> rule) {
		@SuppressWarnings("unchecked")
		Step<O>[] decided = new Step[1];
		long[] added = new long[1];
		// The map may apply the function more than once (another thread changed the entry
		// first) and then find the entry gone (a rolled-back bulk insert took it out):
		// only
		// a non-null result says that the last decision was applied.
		Entry applied = this.coupons.computeIfPresent(key(code), (key, entry) -> {
			Step<O> step = rule.apply(entry.toCoupon(code));
			decided[0] = step;
			if (step.event == null && step.coupon.equals(entry.toCoupon(code))) {
				added[0] = 0;
				return entry;
			}
			Entry next = entry.with(step.coupon, step.event, this.maxEventsPerCoupon);
			added[0] = next.bytes() - entry.bytes();
			return next;
		});
		Step<O> step = decided[0];
		if (applied == null || step == null) {
			return new StoreResult<>(notFound, null);
		}
		// Counted, never refused: a change to an existing coupon must not fail on memory.
		this.bytes.addAndGet(added[0]);
		return new StoreResult<>(step.outcome, step.coupon);
	}

	@Override
	public Optional<List<CouponEvent>> events(String code) {
		Entry entry = this.coupons.get(key(code));
		if (entry == null) {
			return Optional.empty();
		}
		List<CouponEvent> events = new ArrayList<>();
		events.add(CouponEvent.generated(entry.toCoupon(code)));
		if (entry.events != null) {
			events.addAll(Arrays.asList(entry.events));
		}
		return Optional.of(events);
	}

	@Override
	public List<Coupon> list(CouponQuery query, @Nullable String after, int limit, Instant now) {
		Map<Long, Entry> from = (after != null) ? this.coupons.tailMap(key(after), false) : this.coupons;
		List<Coupon> page = new ArrayList<>(Math.min(limit, 1000));
		long nowMillis = now.toEpochMilli();
		for (Map.Entry<Long, Entry> entry : from.entrySet()) {
			if (entry.getValue().matches(query, nowMillis)) {
				page.add(entry.getValue().toCoupon(CouponCode.fromOrderKey(entry.getKey())));
				if (page.size() == limit) {
					break;
				}
			}
		}
		return page;
	}

	@Override
	public void export(CouponQuery query, Instant now, Consumer<Coupon> sink) {
		long nowMillis = now.toEpochMilli();
		for (Map.Entry<Long, Entry> entry : this.coupons.entrySet()) {
			if (entry.getValue().matches(query, nowMillis)) {
				sink.accept(entry.getValue().toCoupon(CouponCode.fromOrderKey(entry.getKey())));
			}
		}
	}

	@Override
	public Map<CouponStatus, Long> countByStatus(@Nullable String campaign, Instant now) {
		long nowMillis = now.toEpochMilli();
		long[] counts = new long[CouponStatus.values().length];
		this.coupons.values().forEach((entry) -> {
			if (campaign == null || (entry.extras != null && campaign.equals(entry.extras.campaign))) {
				counts[entry.statusAt(nowMillis).ordinal()]++;
			}
		});
		Map<CouponStatus, Long> result = new EnumMap<>(CouponStatus.class);
		for (CouponStatus status : CouponStatus.values()) {
			result.put(status, counts[status.ordinal()]);
		}
		return result;
	}

	/** Number of coupons held. */
	public long size() {
		return this.size.get();
	}

	/** The estimated bytes the coupons take, as counted against the budget. */
	public long estimatedBytes() {
		return this.bytes.get();
	}

	/** What a rule decided: the outcome, the coupon after it, and the event, if any. */
	private record Step<O>(O outcome, Coupon coupon, @Nullable CouponEvent event) {
	}

	/**
	 * Estimated heap bytes of a string, at two bytes a character (errs high for Latin-1).
	 */
	private static long string(@Nullable String value) {
		return (value != null) ? 40 + 2L * value.length() : 0;
	}

	/**
	 * What a coupon is generated with beyond its times; shared between the coupons of one
	 * bulk request.
	 */
	private record Extras(long expiresAt, @Nullable String campaign, Map<String, String> metadata,
			@Nullable String boundCustomer) {

		static final Extras NONE_AT_ALL = new Extras(NONE, null, Map.of(), null);

		static Extras of(Coupon coupon) {
			long expiresAt = (coupon.expiresAt() != null) ? coupon.expiresAt().toEpochMilli() : NONE;
			return new Extras(expiresAt, coupon.campaign(), coupon.metadata(),
					coupon.customerBound() ? coupon.customerId() : null);
		}

		/** Estimated bytes of extras and their strings. */
		static long bytes(@Nullable Extras extras) {
			if (extras == null) {
				return 0;
			}
			long bytes = 40 + string(extras.campaign) + string(extras.boundCustomer);
			if (!extras.metadata.isEmpty()) {
				bytes += 32 + 16L * extras.metadata.size();
				for (Map.Entry<String, String> entry : extras.metadata.entrySet()) {
					bytes += string(entry.getKey()) + string(entry.getValue());
				}
			}
			return bytes;
		}

	}

	/**
	 * What redemptions and reversals add to a coupon.
	 *
	 * @param reference the reference of the redemption, while used
	 * @param redeemer the customer who redeemed an unbound coupon, while used
	 * @param reversedAt when the last redemption was reversed, while unused again
	 * @param reversalReference the reference of that reversal
	 */
	private record Details(@Nullable String reference, @Nullable String redeemer, long reversedAt,
			@Nullable String reversalReference) {

		static @Nullable Details of(Coupon coupon) {
			String redeemer = coupon.customerBound() ? null : coupon.customerId();
			if (coupon.reference() == null && redeemer == null && coupon.reversedAt() == null) {
				return null;
			}
			long reversedAt = (coupon.reversedAt() != null) ? coupon.reversedAt().toEpochMilli() : NONE;
			return new Details(coupon.reference(), redeemer, reversedAt, coupon.reversalReference());
		}

		static long bytes(@Nullable Details details) {
			return (details != null)
					? 32 + string(details.reference) + string(details.redeemer) + string(details.reversalReference) : 0;
		}

	}

	/**
	 * One coupon: its creation time, the time of its last change with the status folded
	 * in ({@link #NONE} while unused, the redemption time (never negative) once used, the
	 * bitwise complement of the void time (always negative) once void), and references to
	 * what only some coupons have.
	 */
	private static final class Entry {

		final long createdAt;

		final long changedAt;

		/** {@code null} when the coupon has no expiry, campaign, metadata or customer. */
		final @Nullable Extras extras;

		/** {@code null} until a redemption or a reversal. */
		final @Nullable Details details;

		/** The events after {@code GENERATED}, oldest first; {@code null} when none. */
		final CouponEvent @Nullable [] events;

		private Entry(long createdAt, long changedAt, @Nullable Extras extras, @Nullable Details details,
				CouponEvent @Nullable [] events) {
			this.createdAt = createdAt;
			this.changedAt = changedAt;
			this.extras = extras;
			this.details = details;
			this.events = events;
		}

		/** Pack a fresh coupon, reusing {@code previous} extras when they are equal. */
		static Entry of(Coupon coupon, @Nullable Extras previous) {
			Extras extras = Extras.of(coupon);
			if (extras.equals(Extras.NONE_AT_ALL)) {
				extras = null;
			}
			else if (extras.equals(previous)) {
				extras = previous;
			}
			return new Entry(coupon.createdAt().toEpochMilli(), NONE, extras, null, null);
		}

		/**
		 * This entry holding {@code coupon} (the same coupon after a change) and, when
		 * given, one more event, the oldest ones beyond the limit dropped.
		 */
		Entry with(Coupon coupon, @Nullable CouponEvent event, int maxEvents) {
			long changedAt = switch (coupon.status()) {
				case USED -> requireEpochMillis(coupon.redeemedAt());
				case VOID -> ~requireEpochMillis(coupon.voidedAt());
				default -> NONE;
			};
			CouponEvent[] events = this.events;
			if (event != null) {
				int kept = (events != null) ? Math.min(events.length, maxEvents - 2) : 0;
				CouponEvent[] next = new CouponEvent[kept + 1];
				if (events != null) {
					System.arraycopy(events, events.length - kept, next, 0, kept);
				}
				next[kept] = event;
				events = next;
			}
			return new Entry(this.createdAt, changedAt, this.extras, Details.of(coupon), events);
		}

		private static long requireEpochMillis(@Nullable Instant instant) {
			long millis = (instant != null) ? instant.toEpochMilli() : -1;
			if (millis < 0) {
				throw new IllegalArgumentException("times before 1970 cannot be stored");
			}
			return millis;
		}

		/** Estimated bytes of what this entry holds beyond a plain coupon. */
		long bytes() {
			long bytes = Details.bytes(this.details);
			if (this.events != null) {
				bytes += 16 + 4L * this.events.length;
				for (CouponEvent event : this.events) {
					bytes += 48 + string(event.outcome()) + string(event.reference()) + string(event.customerId())
							+ string(event.client()) + string(event.reason());
				}
			}
			return bytes;
		}

		CouponStatus storedStatus() {
			if (this.changedAt == NONE) {
				return CouponStatus.UNUSED;
			}
			return (this.changedAt >= 0) ? CouponStatus.USED : CouponStatus.VOID;
		}

		CouponStatus statusAt(long now) {
			long expiresAt = (this.extras != null) ? this.extras.expiresAt : NONE;
			boolean expired = this.changedAt == NONE && expiresAt != NONE && now >= expiresAt;
			return expired ? CouponStatus.EXPIRED : storedStatus();
		}

		/**
		 * {@link Coupon#matches} on the packed entry: a listing walks every entry it
		 * passes, so only the ones that match are unpacked into a coupon.
		 */
		boolean matches(CouponQuery query, long now) {
			Extras extras = (this.extras != null) ? this.extras : Extras.NONE_AT_ALL;
			if (query.campaign() != null && !query.campaign().equals(extras.campaign)) {
				return false;
			}
			if (query.status() != null && query.status() != statusAt(now)) {
				return false;
			}
			if (query.customerId() == null) {
				return true;
			}
			String customerId = (extras.boundCustomer != null) ? extras.boundCustomer
					: (this.details != null) ? this.details.redeemer : null;
			return query.customerId().equals(customerId);
		}

		Coupon toCoupon(String code) {
			Extras extras = (this.extras != null) ? this.extras : Extras.NONE_AT_ALL;
			CouponStatus stored = storedStatus();
			Instant redeemedAt = (stored == CouponStatus.USED) ? Instant.ofEpochMilli(this.changedAt) : null;
			Instant voidedAt = (stored == CouponStatus.VOID) ? Instant.ofEpochMilli(~this.changedAt) : null;
			Details details = this.details;
			String customerId = (extras.boundCustomer != null) ? extras.boundCustomer
					: (details != null) ? details.redeemer : null;
			Instant reversedAt = (details != null && details.reversedAt != NONE)
					? Instant.ofEpochMilli(details.reversedAt) : null;
			return new Coupon(code, stored, Instant.ofEpochMilli(this.createdAt),
					(extras.expiresAt != NONE) ? Instant.ofEpochMilli(extras.expiresAt) : null, redeemedAt, voidedAt,
					(details != null) ? details.reference : null, extras.campaign, extras.metadata, customerId,
					extras.boundCustomer != null, reversedAt, (details != null) ? details.reversalReference : null);
		}

	}

}
