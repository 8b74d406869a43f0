package com.example.couponservice.coupon;

/** The store holds as many coupons as it is allowed to. */
public class StoreFullException extends RuntimeException {

	public StoreFullException(long maxCoupons) {
		super("the coupon store is full (" + maxCoupons + " coupons)");
	}

}
