package com.example.couponservice.coupon;

/**
 * The states a coupon can be in. A store holds only {@link #UNUSED}, {@link #USED} and
 * {@link #VOID}; {@link #EXPIRED} is an unused coupon past its {@code expiresAt}, derived
 * from the clock when it is read.
 */
public enum CouponStatus {

	UNUSED, USED, EXPIRED, VOID

}
