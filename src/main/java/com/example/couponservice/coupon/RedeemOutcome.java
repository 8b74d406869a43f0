package com.example.couponservice.coupon;

/** What a redemption attempt did; only {@link #REDEEMED} changed the coupon. */
public enum RedeemOutcome {

	REDEEMED, REPEATED, ALREADY_REDEEMED, EXPIRED, VOID, CUSTOMER_MISMATCH, NOT_FOUND

}
