package com.example.couponservice.coupon.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Body of {@code POST /validate-coupon}. */
record ValidateRequest(
		@Schema(description = "the code; case, spaces and '-' are ignored", example = "AB2C4XYZ",
				requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String code,
		@Schema(description = "the customer who would redeem it",
				example = "customer-4711") @Nullable String customerId) {
}
