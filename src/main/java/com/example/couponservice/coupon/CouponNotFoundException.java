package com.example.couponservice.coupon;

/** No coupon has this code. */
public class CouponNotFoundException extends RuntimeException {

	private final String code;

	public CouponNotFoundException(String code) {
		super("no coupon has the code " + code);
		this.code = code;
	}

	public String getCode() {
		return this.code;
	}

}
