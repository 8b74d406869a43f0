package com.example.couponservice.coupon.web;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponService.Lookup;
import com.example.couponservice.coupon.CouponStatus;

/** A coupon as {@code GET /coupon-status} and {@code POST /void-coupon} show it. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(description = "Fields a coupon does not have are omitted")
record CouponStatusResponse(@Schema(example = "AB2C4XYZ") String code,
		@Schema(description = "UNUSED, USED, EXPIRED, VOID, or NOT_FOUND for a code no coupon has",
				example = "UNUSED") String status,
		@Nullable Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant redeemedAt,
		@Nullable Instant voidedAt, @Nullable String campaign, @Nullable Map<String, String> metadata,
		@Schema(description = "true when the coupon is bound to a customer (who is never shown here)") @Nullable Boolean customerBound) {

	/** The status of a code no coupon has. */
	static final String NOT_FOUND = "NOT_FOUND";

	static CouponStatusResponse of(Lookup lookup) {
		Coupon coupon = lookup.coupon();
		CouponStatus status = lookup.status();
		if (coupon == null || status == null) {
			return new CouponStatusResponse(lookup.code(), NOT_FOUND, null, null, null, null, null, null, null);
		}
		return of(coupon, status);
	}

	static CouponStatusResponse of(Coupon coupon, CouponStatus status) {
		return new CouponStatusResponse(coupon.code(), status.name(), coupon.createdAt(), coupon.expiresAt(),
				coupon.redeemedAt(), coupon.voidedAt(), coupon.campaign(), coupon.metadata(),
				coupon.customerBound() ? Boolean.TRUE : null);
	}

}
