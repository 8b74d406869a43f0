package com.example.couponservice.coupon;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a coupon's history, written in the same atomic step as what it records.
 *
 * @param kind what happened
 * @param at when
 * @param outcome for {@link Kind#REDEMPTION_REFUSED} why ({@code already_redeemed},
 * {@code expired}, {@code void}, {@code customer_mismatch}); for {@link Kind#VALIDATED}
 * what was found ({@code valid} or one of those reasons, with {@code used} for a used
 * coupon)
 * @param reference the order id given, if any
 * @param customerId the customer given (or bound, for {@link Kind#GENERATED}), if any
 * @param client the caller's address as the rate limiter saw it, if known
 * @param reason why a redemption was reversed, if given
 */
public record CouponEvent(Kind kind, Instant at, @Nullable String outcome, @Nullable String reference,
		@Nullable String customerId, @Nullable String client, @Nullable String reason) {

	/** The kinds of event, each named for what happened. */
	public enum Kind {

		GENERATED, REDEEMED, REDEMPTION_REPEATED, REDEMPTION_REFUSED, VALIDATED, REVERSED, VOIDED

	}

	/** The event every coupon starts with, from the coupon itself. */
	public static CouponEvent generated(Coupon coupon) {
		return new CouponEvent(Kind.GENERATED, coupon.createdAt(), null, null,
				coupon.customerBound() ? coupon.customerId() : null, null, null);
	}

	/** The event of a redemption attempt on an existing coupon. */
	public static CouponEvent redemption(RedeemOutcome outcome, Attempt attempt) {
		return switch (outcome) {
			case REDEEMED -> of(Kind.REDEEMED, null, attempt, null);
			case REPEATED -> of(Kind.REDEMPTION_REPEATED, null, attempt, null);
			case NOT_FOUND -> throw new IllegalArgumentException("no coupon, no event");
			default -> of(Kind.REDEMPTION_REFUSED, tag(outcome), attempt, null);
		};
	}

	/** The event of a validation of an existing coupon. */
	public static CouponEvent validation(ValidationOutcome outcome, Attempt attempt) {
		if (outcome == ValidationOutcome.NOT_FOUND) {
			throw new IllegalArgumentException("no coupon, no event");
		}
		return new CouponEvent(Kind.VALIDATED, attempt.now(), tag(outcome), null, attempt.customerId(),
				attempt.client(), null);
	}

	/** The event of a void that changed the coupon. */
	public static CouponEvent voided(Attempt attempt) {
		return of(Kind.VOIDED, null, attempt, null);
	}

	/** The event of a reversal that changed the coupon. */
	public static CouponEvent reversed(Attempt attempt, @Nullable String reason) {
		return of(Kind.REVERSED, null, attempt, reason);
	}

	private static CouponEvent of(Kind kind, @Nullable String outcome, Attempt attempt, @Nullable String reason) {
		return new CouponEvent(kind, attempt.now(), outcome, attempt.reference(), attempt.customerId(),
				attempt.client(), reason);
	}

	/** An outcome as events and metrics name it: {@code customer_mismatch}. */
	public static String tag(Enum<?> outcome) {
		return outcome.name().toLowerCase(java.util.Locale.ROOT);
	}

}
