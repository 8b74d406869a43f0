package com.example.couponservice.coupon.web;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /reverse-redemption}. */
record ReverseResponse(@Schema(example = "AB2C4XYZ") String code,
		@Schema(description = "UNUSED, or EXPIRED when its time has passed", example = "UNUSED") String status,
		@Schema(description = "when the redemption was reversed") Instant reversedAt,
		@Schema(description = "true when this answer repeats an earlier reversal",
				example = "false") boolean alreadyReversed) {
}
