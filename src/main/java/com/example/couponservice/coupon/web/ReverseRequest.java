package com.example.couponservice.coupon.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Body of {@code POST /reverse-redemption}. */
record ReverseRequest(
		@Schema(description = "the code; case, spaces and '-' are ignored", example = "AB2C4XYZ",
				requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String code,
		@Schema(description = "the reference the redemption was made with; absent when it was made without one",
				example = "order-10045") @Nullable String reference,
		@Schema(description = "why, up to 256 printable characters",
				example = "payment failed") @Nullable String reason) {
}
