package com.example.couponservice.coupon;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One coupon as the stores hold it.
 *
 * @param code the canonical code
 * @param status {@link CouponStatus#UNUSED}, {@link CouponStatus#USED} or
 * {@link CouponStatus#VOID}
 * @param createdAt when it was generated
 * @param expiresAt after this instant an unused coupon is expired; {@code null} for never
 * @param redeemedAt when it was redeemed; {@code null} unless used
 * @param voidedAt when it was voided; {@code null} unless void
 * @param reference the caller's reference given at redemption, if any
 * @param campaign the campaign it was generated for, if any
 * @param metadata the caller's metadata; empty when none
 */
public record Coupon(String code, CouponStatus status, Instant createdAt, @Nullable Instant expiresAt,
		@Nullable Instant redeemedAt, @Nullable Instant voidedAt, @Nullable String reference, @Nullable String campaign,
		Map<String, String> metadata) {

	public Coupon {
		metadata = Map.copyOf(metadata);
	}

	/** A fresh, unused coupon. */
	public static Coupon fresh(String code, Instant createdAt, @Nullable Instant expiresAt, @Nullable String campaign,
			Map<String, String> metadata) {
		return new Coupon(code, CouponStatus.UNUSED, createdAt, expiresAt, null, null, null, campaign, metadata);
	}

	/** Whether an unused coupon can no longer be redeemed at {@code now}. */
	public boolean isExpiredAt(Instant now) {
		return this.status == CouponStatus.UNUSED && this.expiresAt != null && !now.isBefore(this.expiresAt);
	}

	/** The status a lookup reports at {@code now}. */
	public CouponStatus statusAt(Instant now) {
		return isExpiredAt(now) ? CouponStatus.EXPIRED : this.status;
	}

	/** This coupon redeemed at {@code now} with {@code reference}. */
	public Coupon redeemed(Instant now, @Nullable String reference) {
		return new Coupon(this.code, CouponStatus.USED, this.createdAt, this.expiresAt, now, null, reference,
				this.campaign, this.metadata);
	}

	/** This coupon voided at {@code now}. */
	public Coupon voided(Instant now) {
		return new Coupon(this.code, CouponStatus.VOID, this.createdAt, this.expiresAt, null, now, null, this.campaign,
				this.metadata);
	}

}
