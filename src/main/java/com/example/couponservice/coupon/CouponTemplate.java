package com.example.couponservice.coupon;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the coupons of one generation request share, already validated.
 *
 * @param expiresAt when they expire; {@code null} for never
 * @param campaign their campaign, if any
 * @param metadata their metadata; empty when none
 * @param customerId the customer they are bound to, if any
 */
public record CouponTemplate(@Nullable Instant expiresAt, @Nullable String campaign, Map<String, String> metadata,
		@Nullable String customerId) {

	public CouponTemplate {
		metadata = Map.copyOf(metadata);
	}

	Coupon newCoupon(String code, Instant now) {
		return Coupon.fresh(code, now, this.expiresAt, this.campaign, this.metadata, this.customerId);
	}

}
