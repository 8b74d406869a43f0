package com.example.couponservice.coupon.web;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponService.Listed;

/**
 * A coupon as the admin listing shows it: the public status, and the customer it is bound
 * to or who redeemed it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(description = "Fields a coupon does not have are omitted")
record CouponResponse(@Schema(example = "AB2C4XYZ") String code, @Schema(example = "USED") String status,
		Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant redeemedAt, @Nullable Instant voidedAt,
		@Nullable String campaign, @Nullable Map<String, String> metadata,
		@Schema(description = "the customer it is bound to, or who redeemed it") @Nullable String customerId,
		@Schema(description = "true when only customerId may redeem it") @Nullable Boolean customerBound) {

	static CouponResponse of(Listed listed) {
		Coupon coupon = listed.coupon();
		return new CouponResponse(coupon.code(), listed.status().name(), coupon.createdAt(), coupon.expiresAt(),
				coupon.redeemedAt(), coupon.voidedAt(), coupon.campaign(), coupon.metadata(), coupon.customerId(),
				coupon.customerBound() ? Boolean.TRUE : null);
	}

}
