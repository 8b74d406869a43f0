package com.example.couponservice.coupon;

/** A request field that breaks its rule; {@link #getField()} names it. */
public class InvalidFieldException extends RuntimeException {

	private final String field;

	public InvalidFieldException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String getField() {
		return this.field;
	}

}
