package com.example.couponservice.coupon;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The coupon exists but cannot take this change; it was left as it was.
 */
public class CouponConflictException extends RuntimeException {

	private final Reason reason;

	private final String code;

	@Nullable private final Instant at;

	public CouponConflictException(Reason reason, String code, @Nullable Instant at, String message) {
		super(message);
		this.reason = reason;
		this.code = code;
		this.at = at;
	}

	public Reason getReason() {
		return this.reason;
	}

	public String getCode() {
		return this.code;
	}

	/** When the blocking change happened (redeemed, voided, expired). */
	@Nullable public Instant getAt() {
		return this.at;
	}

	/** Why the change was refused. */
	public enum Reason {

		/** Redeemed before, by another reference (or another caller). */
		ALREADY_REDEEMED,

		/** Past its {@code expiresAt}. */
		EXPIRED,

		/** Voided by an operator. */
		VOID,

		/** Bound to another customer. */
		CUSTOMER_MISMATCH,

		/** Redeemed with another reference than the reversal names. */
		REFERENCE_MISMATCH,

		/** Not redeemed, so there is nothing to reverse. */
		NOT_REDEEMED

	}

}
