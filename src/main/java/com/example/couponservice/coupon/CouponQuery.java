package com.example.couponservice.coupon;

import org.jspecify.annotations.Nullable;

/**
 * Which coupons a listing or an export wants; every filter is optional.
 *
 * @param campaign only this campaign's
 * @param status only those a lookup would report in this status
 * @param customerId only those bound to or redeemed by this customer
 */
public record CouponQuery(@Nullable String campaign, @Nullable CouponStatus status, @Nullable String customerId) {

	/** Every coupon. */
	public static final CouponQuery ALL = new CouponQuery(null, null, null);

}
