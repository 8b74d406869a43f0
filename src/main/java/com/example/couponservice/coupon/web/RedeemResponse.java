package com.example.couponservice.coupon.web;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of a successful {@code POST /redeem-coupon}. */
record RedeemResponse(@Schema(example = "Coupon redeemed successfully") String message,
		@Schema(example = "AB2C4XYZ") String code,
		@Schema(description = "when it was first redeemed", example = "2026-11-26T10:15:30.123Z") Instant redeemedAt,
		@Schema(description = "true when this answer repeats an earlier redemption by the same caller",
				example = "false") boolean alreadyRedeemed) {
}
