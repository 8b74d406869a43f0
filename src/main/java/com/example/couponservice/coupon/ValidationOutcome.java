package com.example.couponservice.coupon;

/** What a validation found; it never changes the coupon. */
public enum ValidationOutcome {

	VALID, USED, EXPIRED, VOID, CUSTOMER_MISMATCH, NOT_FOUND

}
