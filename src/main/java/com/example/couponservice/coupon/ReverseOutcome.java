package com.example.couponservice.coupon;

/** What a reversal did; only {@link #REVERSED} changed the coupon. */
public enum ReverseOutcome {

	REVERSED, ALREADY_REVERSED, REFERENCE_MISMATCH, NOT_REDEEMED, VOID, NOT_FOUND

}
