package com.example.couponservice.coupon.web;

import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Body of {@code POST /generate-coupons}. */
record BulkGenerateRequest(
		@Schema(description = "how many coupons, 1 to 10,000", example = "500",
				requiredMode = Schema.RequiredMode.REQUIRED) @Nullable Integer count,
		@Schema(example = "2026-12-31T23:59:59Z", format = "date-time") @Nullable String expiresAt,
		@Schema(example = "P30D", format = "duration") @Nullable String ttl,
		@Schema(example = "black-friday-2026") @Nullable String campaign, @Nullable Map<String, String> metadata,
		@Schema(description = "bind every coupon to this customer",
				example = "customer-4711") @Nullable String customerId) {
}
