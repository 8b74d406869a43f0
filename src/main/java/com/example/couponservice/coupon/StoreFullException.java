package com.example.couponservice.coupon;

/** The store holds as many coupons as it is allowed to. */
public class StoreFullException extends RuntimeException {

	private final long maxCoupons;

	public StoreFullException(long maxCoupons) {
		super("the coupon store is full (" + maxCoupons + " coupons)");
		this.maxCoupons = maxCoupons;
	}

	public long getMaxCoupons() {
		return this.maxCoupons;
	}

}
