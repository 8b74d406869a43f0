package com.example.couponservice.coupon;

/**
 * What a status lookup reports. A store holds only {@link #UNUSED}, {@link #USED} and
 * {@link #VOID}; {@link #EXPIRED} is derived from {@code expiresAt} and the clock, and
 * {@link #NOT_FOUND} is the answer for a code no store holds.
 */
public enum CouponStatus {

	UNUSED, USED, EXPIRED, VOID, NOT_FOUND

}
