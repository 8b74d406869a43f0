package com.example.couponservice.coupon;

/** A code that is not 8 characters of the coupon alphabet after normalisation. */
public class InvalidCouponCodeException extends RuntimeException {

	InvalidCouponCodeException(String message) {
		super(message);
	}

}
