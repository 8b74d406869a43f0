package com.example.couponservice.coupon;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where coupons live. Every state change is one atomic step of the store (a map's
 * {@code compute}, one SQL statement), never a read followed by a write, so the service
 * can answer repeats and conflicts by reading only after a change did not happen.
 */
public interface CouponStore {

	/**
	 * Store a fresh coupon unless its code is taken.
	 * @return {@code false} when a coupon with that code already exists
	 * @throws StoreFullException when the store holds as many coupons as it may
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
	 * Mark an unused, unexpired coupon as used.
	 * @return the redeemed coupon, or empty when no coupon changed (unknown, used, void
	 * or expired at {@code now})
	 */
	Optional<Coupon> redeem(String code, @Nullable String reference, Instant now);

	/**
	 * Mark an unused coupon (expired or not) as void.
	 * @return the voided coupon, or empty when no coupon changed
	 */
	Optional<Coupon> voidCoupon(String code, Instant now);

	/**
	 * Count coupons by the status a lookup would report at {@code now}.
	 * @param campaign only coupons of this campaign; {@code null} for all
	 */
	Map<CouponStatus, Long> countByStatus(@Nullable String campaign, Instant now);

}
