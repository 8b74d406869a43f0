package com.example.couponservice.coupon;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Where coupons and their history live. Every operation on one coupon is one atomic step
 * of the store (a map's compute, one SQL statement, one Lua script): it decides the
 * outcome by {@link Coupon}'s rules on the coupon as it is at that moment, makes the
 * change, and appends the {@link CouponEvent} that records it, together or not at all.
 * Nothing is read before it is written.
 * <p>
 * Each coupon keeps its {@code GENERATED} event and at most
 * {@code maxEventsPerCoupon - 1} later ones (the most recent), so hammering one code
 * cannot grow a store without end.
 */
public interface CouponStore {

	/**
	 * Store a fresh coupon unless its code is taken.
	 * @return {@code false} when a coupon with that code already exists
	 * @throws StoreFullException when the store holds as much as it may
	 */
	boolean insert(Coupon coupon);

	/**
	 * Store all of {@code coupons} or none of them.
	 * @return the codes that were already taken; when not empty, nothing was stored
	 * @throws StoreFullException when the batch does not fit
	 */
	List<String> insertAll(List<Coupon> coupons);

	Optional<Coupon> find(String code);

	/**
	 * Redeem: {@link RedeemOutcome#REDEEMED} changes the coupon; every outcome but
	 * {@link RedeemOutcome#NOT_FOUND} appends its event.
	 */
	StoreResult<RedeemOutcome> redeem(String code, Attempt attempt);

	/**
	 * Validate: changes nothing but appends a {@code VALIDATED} event to a coupon found.
	 */
	StoreResult<ValidationOutcome> validate(String code, Attempt attempt);

	/** Void an unused coupon (expired or not), with its event. */
	StoreResult<VoidOutcome> voidCoupon(String code, Attempt attempt);

	/**
	 * Reverse a redemption made with {@code attempt.reference()}: the coupon is unused
	 * again, with its event carrying {@code reason}.
	 */
	StoreResult<ReverseOutcome> reverse(String code, Attempt attempt, @Nullable String reason);

	/** The coupon's events, oldest first; empty when no coupon has the code. */
	Optional<List<CouponEvent>> events(String code);

	/**
	 * Up to {@code limit} coupons matching {@code query} at {@code now}, in code order
	 * (ASCII: digits before letters), starting after {@code after}.
	 */
	List<Coupon> list(CouponQuery query, @Nullable String after, int limit, Instant now);

	/**
	 * Hand every coupon matching {@code query} at {@code now} to {@code sink}, in
	 * constant memory, in no particular order.
	 */
	void export(CouponQuery query, Instant now, Consumer<Coupon> sink);

	/**
	 * Count coupons by the status a lookup would report at {@code now}.
	 * @param campaign only coupons of this campaign; {@code null} for all
	 */
	Map<CouponStatus, Long> countByStatus(@Nullable String campaign, Instant now);

}
