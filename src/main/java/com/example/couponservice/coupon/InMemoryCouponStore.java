package com.example.couponservice.coupon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The default store: a {@link ConcurrentHashMap} keyed by the code's 40-bit number.
 * <p>
 * A coupon costs about 97 bytes: the map node (32), the boxed {@code Long} key (24), its
 * table slot (about 8) and a 32-byte {@link Entry}. Everything most coupons lack (expiry,
 * campaign, metadata, reference) sits in one shared {@link Extras} object, so a plain
 * coupon carries a single null reference for it. State changes go through the map's own
 * {@code compute}, so they are atomic per code.
 * <p>
 * The store holds coupons up to a memory budget, counted in estimated bytes (the entry,
 * plus its extras and their strings), not in coupons: a coupon with 16 metadata entries
 * costs a hundred times a plain one. Generation past the budget is refused with
 * {@link StoreFullException}; a redemption that stores a reference is never refused, and
 * its bytes are counted too.
 */
public class InMemoryCouponStore implements CouponStore {

	/** What a coupon without extras costs: node, key, slot and entry, as measured. */
	static final long ENTRY_BYTES = 97;

	private static final long NONE = Long.MIN_VALUE;

	private final ConcurrentHashMap<Long, Entry> coupons = new ConcurrentHashMap<>();

	private final AtomicLong size = new AtomicLong();

	private final AtomicLong bytes = new AtomicLong();

	private final long maxBytes;

	/**
	 * @param maxBytes the memory budget in estimated bytes; past it
	 * {@link StoreFullException}
	 */
	public InMemoryCouponStore(long maxBytes) {
		if (maxBytes <= 0) {
			throw new IllegalArgumentException("maxBytes must be positive");
		}
		this.maxBytes = maxBytes;
	}

	@Override
	public boolean insert(Coupon coupon) {
		Entry entry = Entry.of(coupon, null);
		long cost = ENTRY_BYTES + Extras.bytes(entry.extras);
		reserve(cost);
		if (this.coupons.putIfAbsent(CouponCode.pack(coupon.code()), entry) != null) {
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
			Long key = CouponCode.pack(batch.get(i).code());
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
		Entry entry = this.coupons.get(CouponCode.pack(code));
		return (entry != null) ? Optional.of(entry.toCoupon(code)) : Optional.empty();
	}

	@Override
	public Optional<Coupon> redeem(String code, @Nullable String reference, Instant now) {
		long nowMillis = now.toEpochMilli();
		Optional<Coupon> redeemed = change(code,
				(entry) -> entry.isRedeemableAt(nowMillis) ? entry.redeemed(nowMillis, reference) : entry);
		if (redeemed.isPresent() && reference != null) {
			// The reference lives in extras of the coupon's own; never refused, but
			// counted.
			this.bytes.addAndGet(Extras.bytes(redeemed.get()));
		}
		return redeemed;
	}

	@Override
	public Optional<Coupon> voidCoupon(String code, Instant now) {
		long nowMillis = now.toEpochMilli();
		return change(code, (entry) -> entry.isUnused() ? entry.voided(nowMillis) : entry);
	}

	/**
	 * Apply {@code transition} atomically; it returns its argument when nothing may
	 * change, and the changed coupon is returned only when it returned a new entry.
	 */
	private Optional<Coupon> change(String code, UnaryOperator<Entry> transition) {
		Entry[] before = new Entry[1];
		Entry after = this.coupons.computeIfPresent(CouponCode.pack(code), (key, entry) -> {
			before[0] = entry;
			return transition.apply(entry);
		});
		return (after != null && after != before[0]) ? Optional.of(after.toCoupon(code)) : Optional.empty();
	}

	@Override
	public Map<CouponStatus, Long> countByStatus(@Nullable String campaign, Instant now) {
		long nowMillis = now.toEpochMilli();
		long[] counts = new long[CouponStatus.values().length];
		this.coupons.forEach((key, entry) -> {
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

	/**
	 * What most coupons do not have; shared between the coupons of one bulk request.
	 */
	private record Extras(long expiresAt, @Nullable String campaign, Map<String, String> metadata,
			@Nullable String reference) {

		static final Extras NONE_AT_ALL = new Extras(NONE, null, Map.of(), null);

		static Extras of(Coupon coupon) {
			long expiresAt = (coupon.expiresAt() != null) ? coupon.expiresAt().toEpochMilli() : NONE;
			return new Extras(expiresAt, coupon.campaign(), coupon.metadata(), coupon.reference());
		}

		/**
		 * Estimated bytes of extras and their strings: headers, fields and references, a
		 * string at two bytes a character (Latin-1 strings take one, so this errs high).
		 */
		static long bytes(@Nullable Extras extras) {
			if (extras == null) {
				return 0;
			}
			long bytes = 40 + string(extras.campaign) + string(extras.reference);
			if (!extras.metadata.isEmpty()) {
				bytes += 32 + 16L * extras.metadata.size();
				for (Map.Entry<String, String> entry : extras.metadata.entrySet()) {
					bytes += string(entry.getKey()) + string(entry.getValue());
				}
			}
			return bytes;
		}

		/** The extras a redeemed coupon holds, estimated the same way. */
		static long bytes(Coupon coupon) {
			return bytes(of(coupon));
		}

		private static long string(@Nullable String value) {
			return (value != null) ? 40 + 2L * value.length() : 0;
		}

		Extras withReference(@Nullable String reference) {
			return new Extras(this.expiresAt, this.campaign, this.metadata, reference);
		}

	}

	/**
	 * One coupon, packed into 32 bytes: a 12-byte header, two longs and a reference. The
	 * status lives in {@link #changedAt}: {@link #NONE} while unused, the redemption time
	 * (epoch millis, never negative) once used, and the bitwise complement of the void
	 * time (always negative) once void.
	 */
	private static final class Entry {

		final long createdAt;

		final long changedAt;

		/**
		 * {@code null} when the coupon has no expiry, campaign, metadata or reference.
		 */
		@Nullable final Extras extras;

		private Entry(long createdAt, long changedAt, @Nullable Extras extras) {
			this.createdAt = createdAt;
			this.changedAt = changedAt;
			this.extras = extras;
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
			return new Entry(coupon.createdAt().toEpochMilli(), NONE, extras);
		}

		CouponStatus storedStatus() {
			if (this.changedAt == NONE) {
				return CouponStatus.UNUSED;
			}
			return (this.changedAt >= 0) ? CouponStatus.USED : CouponStatus.VOID;
		}

		boolean isUnused() {
			return this.changedAt == NONE;
		}

		long expiresAt() {
			return (this.extras != null) ? this.extras.expiresAt : NONE;
		}

		boolean isRedeemableAt(long now) {
			return isUnused() && !isExpiredAt(now);
		}

		boolean isExpiredAt(long now) {
			long expiresAt = expiresAt();
			return isUnused() && expiresAt != NONE && now >= expiresAt;
		}

		CouponStatus statusAt(long now) {
			return isExpiredAt(now) ? CouponStatus.EXPIRED : storedStatus();
		}

		Entry redeemed(long now, @Nullable String reference) {
			Extras base = (this.extras != null) ? this.extras : Extras.NONE_AT_ALL;
			Extras changed = (reference != null) ? base.withReference(reference) : this.extras;
			return new Entry(this.createdAt, requireEpochMillis(now), changed);
		}

		Entry voided(long now) {
			return new Entry(this.createdAt, ~requireEpochMillis(now), this.extras);
		}

		private static long requireEpochMillis(long now) {
			if (now < 0) {
				throw new IllegalArgumentException("times before 1970 cannot be stored");
			}
			return now;
		}

		Coupon toCoupon(String code) {
			Extras extras = (this.extras != null) ? this.extras : Extras.NONE_AT_ALL;
			CouponStatus stored = storedStatus();
			Instant redeemedAt = (stored == CouponStatus.USED) ? Instant.ofEpochMilli(this.changedAt) : null;
			Instant voidedAt = (stored == CouponStatus.VOID) ? Instant.ofEpochMilli(~this.changedAt) : null;
			return new Coupon(code, stored, Instant.ofEpochMilli(this.createdAt),
					(extras.expiresAt != NONE) ? Instant.ofEpochMilli(extras.expiresAt) : null, redeemedAt, voidedAt,
					extras.reference, extras.campaign, extras.metadata);
		}

	}

}
