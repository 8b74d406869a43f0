package com.example.couponservice.coupon;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the coupons of one generation request share, already validated.
 *
 * @param expiresAt when they expire; {@code null} for never, or for {@code ttl}
 * @param ttl their lifetime from their creation, to the millisecond; {@code null} for
 * none, or for {@code expiresAt}
 * @param campaign their campaign, if any
 * @param metadata their metadata; empty when none
 * @param customerId the customer they are bound to, if any
 */
public record CouponTemplate(@Nullable Instant expiresAt, @Nullable Duration ttl, @Nullable String campaign,
		Map<String, String> metadata, @Nullable String customerId) {

	public CouponTemplate {
		metadata = Map.copyOf(metadata);
	}

	/** A coupon created at {@code now}: a lifetime counts from that very instant. */
	Coupon newCoupon(String code, Instant now) {
		Instant expiry = (this.ttl != null) ? now.plus(this.ttl).truncatedTo(ChronoUnit.MILLIS) : this.expiresAt;
		return Coupon.fresh(code, now, expiry, this.campaign, this.metadata, this.customerId);
	}

}
