package com.example.couponservice.coupon;

/** The store holds as much as it is allowed to. */
public class StoreFullException extends RuntimeException {

	public StoreFullException(long maxBytes) {
		super("the coupon store is full: its memory budget of " + (maxBytes >> 20) + " MiB is used");
	}

}
