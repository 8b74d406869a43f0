package com.example.couponservice.coupon;

/** What a void did; only {@link #VOIDED} changed the coupon. */
public enum VoidOutcome {

	VOIDED, ALREADY_VOID, USED, NOT_FOUND

}
