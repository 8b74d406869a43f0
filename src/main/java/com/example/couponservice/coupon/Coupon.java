package com.example.couponservice.coupon;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One coupon as the stores hold it, and the rules of what may happen to it. The rules are
 * pure functions of the coupon and an {@link Attempt}, so every store applies the same
 * ones inside its own atomic step (the in-memory store calls them; the PostgreSQL and
 * Redis stores state them in SQL and Lua, held to them by the store contract tests).
 *
 * @param code the canonical code
 * @param status {@link CouponStatus#UNUSED}, {@link CouponStatus#USED} or
 * {@link CouponStatus#VOID}
 * @param createdAt when it was generated
 * @param expiresAt after this instant an unused coupon is expired; {@code null} for never
 * @param redeemedAt when it was redeemed; {@code null} unless used
 * @param voidedAt when it was voided; {@code null} unless void
 * @param reference the caller's reference given at redemption, if any; only while used
 * @param campaign the campaign it was generated for, if any
 * @param metadata the caller's metadata; empty when none
 * @param customerId the customer it is bound to, or (unbound) who redeemed it
 * @param customerBound whether only {@code customerId} may redeem it
 * @param reversedAt when its last redemption was reversed, while it is unused again
 * @param reversalReference the reference of that reversal
 */
public record Coupon(String code, CouponStatus status, Instant createdAt, @Nullable Instant expiresAt,
		@Nullable Instant redeemedAt, @Nullable Instant voidedAt, @Nullable String reference, @Nullable String campaign,
		Map<String, String> metadata, @Nullable String customerId, boolean customerBound, @Nullable Instant reversedAt,
		@Nullable String reversalReference) {

	public Coupon {
		metadata = Map.copyOf(metadata);
	}

	/** A fresh, unused coupon that anyone may redeem. */
	public static Coupon fresh(String code, Instant createdAt, @Nullable Instant expiresAt, @Nullable String campaign,
			Map<String, String> metadata) {
		return fresh(code, createdAt, expiresAt, campaign, metadata, null);
	}

	/** A fresh, unused coupon, bound to {@code customerId} when it is not null. */
	public static Coupon fresh(String code, Instant createdAt, @Nullable Instant expiresAt, @Nullable String campaign,
			Map<String, String> metadata, @Nullable String customerId) {
		return new Coupon(code, CouponStatus.UNUSED, createdAt, expiresAt, null, null, null, campaign, metadata,
				customerId, customerId != null, null, null);
	}

	/** Whether an unused coupon can no longer be redeemed at {@code now}. */
	public boolean isExpiredAt(Instant now) {
		return this.status == CouponStatus.UNUSED && this.expiresAt != null && !now.isBefore(this.expiresAt);
	}

	/** The status a lookup reports at {@code now}. */
	public CouponStatus statusAt(Instant now) {
		return isExpiredAt(now) ? CouponStatus.EXPIRED : this.status;
	}

	/** Whether {@code customerId} may use this coupon. */
	public boolean isFor(@Nullable String customerId) {
		return !this.customerBound || Objects.equals(this.customerId, customerId);
	}

	/**
	 * What a redemption {@code attempt} does to this coupon. Checked in this order: the
	 * customer (a stranger learns nothing more of a bound coupon), void, used (a repeat
	 * by the same reference, or none both times, is a retry), expired.
	 */
	public RedeemOutcome redeemOutcome(Attempt attempt) {
		if (!isFor(attempt.customerId())) {
			return RedeemOutcome.CUSTOMER_MISMATCH;
		}
		return switch (this.status) {
			case VOID -> RedeemOutcome.VOID;
			case USED -> Objects.equals(this.reference, attempt.reference()) ? RedeemOutcome.REPEATED
					: RedeemOutcome.ALREADY_REDEEMED;
			default -> isExpiredAt(attempt.now()) ? RedeemOutcome.EXPIRED : RedeemOutcome.REDEEMED;
		};
	}

	/**
	 * What a validation by {@code attempt} finds, in the order of {@link #redeemOutcome}.
	 */
	public ValidationOutcome validationOutcome(Attempt attempt) {
		if (!isFor(attempt.customerId())) {
			return ValidationOutcome.CUSTOMER_MISMATCH;
		}
		return switch (this.status) {
			case VOID -> ValidationOutcome.VOID;
			case USED -> ValidationOutcome.USED;
			default -> isExpiredAt(attempt.now()) ? ValidationOutcome.EXPIRED : ValidationOutcome.VALID;
		};
	}

	/** What a void does: an unused coupon (expired or not) becomes void. */
	public VoidOutcome voidOutcome() {
		return switch (this.status) {
			case VOID -> VoidOutcome.ALREADY_VOID;
			case USED -> VoidOutcome.USED;
			default -> VoidOutcome.VOIDED;
		};
	}

	/**
	 * What a reversal with {@code reference} does: a used coupon comes back if the
	 * reference is the redemption's (both absent counts as equal); an unused one whose
	 * last change was this very reversal answers as a repeat of it.
	 */
	public ReverseOutcome reverseOutcome(@Nullable String reference) {
		return switch (this.status) {
			case VOID -> ReverseOutcome.VOID;
			case USED ->
				Objects.equals(this.reference, reference) ? ReverseOutcome.REVERSED : ReverseOutcome.REFERENCE_MISMATCH;
			default -> (this.reversedAt != null && Objects.equals(this.reversalReference, reference))
					? ReverseOutcome.ALREADY_REVERSED : ReverseOutcome.NOT_REDEEMED;
		};
	}

	/**
	 * This coupon redeemed by {@code attempt}; an unbound coupon records the customer.
	 */
	public Coupon redeemed(Attempt attempt) {
		return new Coupon(this.code, CouponStatus.USED, this.createdAt, this.expiresAt, attempt.now(), null,
				attempt.reference(), this.campaign, this.metadata,
				this.customerBound ? this.customerId : attempt.customerId(), this.customerBound, null, null);
	}

	/** This coupon voided at {@code now}. */
	public Coupon voided(Instant now) {
		return new Coupon(this.code, CouponStatus.VOID, this.createdAt, this.expiresAt, null, now, null, this.campaign,
				this.metadata, this.customerBound ? this.customerId : null, this.customerBound, null, null);
	}

	/** This coupon unused again: its redemption reversed by {@code attempt}. */
	public Coupon reversed(Attempt attempt) {
		return new Coupon(this.code, CouponStatus.UNUSED, this.createdAt, this.expiresAt, null, null, null,
				this.campaign, this.metadata, this.customerBound ? this.customerId : null, this.customerBound,
				attempt.now(), attempt.reference());
	}

	/** Whether this coupon matches every filter of {@code query} at {@code now}. */
	public boolean matches(CouponQuery query, Instant now) {
		return (query.campaign() == null || query.campaign().equals(this.campaign))
				&& (query.status() == null || query.status() == statusAt(now))
				&& (query.customerId() == null || query.customerId().equals(this.customerId));
	}

}
