package com.example.couponservice.coupon.web;

import org.springframework.http.HttpStatus;

import com.example.couponservice.web.ProblemType;

/** The problem types of the coupon API, besides the generic ones. */
public enum CouponProblem implements ProblemType {

	INVALID_COUPON_CODE(HttpStatus.BAD_REQUEST, "Invalid coupon code",
			"the code is not 8 characters of ABCDEFGHJKLMNPQRSTUVWXYZ23456789 after removing spaces and dashes"),

	COUPON_NOT_FOUND(HttpStatus.NOT_FOUND, "Coupon not found", "no coupon has this code"),

	COUPON_ALREADY_REDEEMED(HttpStatus.CONFLICT, "Coupon already redeemed",
			"the coupon was redeemed by another caller (another reference); nothing changed"),

	COUPON_EXPIRED(HttpStatus.CONFLICT, "Coupon expired", "the coupon expired before this redemption; nothing changed"),

	COUPON_VOID(HttpStatus.CONFLICT, "Coupon void", "the coupon was voided by an operator; nothing changed"),

	COUPON_CUSTOMER_MISMATCH(HttpStatus.CONFLICT, "Coupon belongs to another customer",
			"the coupon is bound to a customer and this request names another one, or none; nothing changed"),

	REFERENCE_MISMATCH(HttpStatus.CONFLICT, "Reference mismatch",
			"the coupon was redeemed with another reference than this reversal names; nothing changed"),

	COUPON_NOT_REDEEMED(HttpStatus.CONFLICT, "Coupon not redeemed",
			"the coupon is not redeemed, so there is no redemption to reverse; nothing changed"),

	STORE_FULL(HttpStatus.INSUFFICIENT_STORAGE, "Coupon store full",
			"the in-memory store holds its maximum number of coupons");

	private final HttpStatus status;

	private final String title;

	private final String description;

	CouponProblem(HttpStatus status, String title, String description) {
		this.status = status;
		this.title = title;
		this.description = description;
	}

	@Override
	public HttpStatus status() {
		return this.status;
	}

	@Override
	public String title() {
		return this.title;
	}

	@Override
	public String description() {
		return this.description;
	}

}
