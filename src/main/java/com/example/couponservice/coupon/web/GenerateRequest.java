package com.example.couponservice.coupon.web;

import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Body of {@code POST /generate-coupon}; every field is optional. */
record GenerateRequest(
		@Schema(description = "when the coupon expires; give this or ttl, in the future",
				example = "2026-12-31T23:59:59Z", format = "date-time") @Nullable String expiresAt,
		@Schema(description = "lifetime as an ISO-8601 duration of at least 1 second", example = "P30D",
				format = "duration") @Nullable String ttl,
		@Schema(description = "1 to 64 of A-Z a-z 0-9 _ . -", example = "black-friday-2026") @Nullable String campaign,
		@Schema(description = "up to 16 string entries; keys up to 40, values up to 256 characters",
				example = "{\"channel\":\"email\"}") @Nullable Map<String, String> metadata,
		@Schema(description = "bind the coupon to this customer, 1 to 64 printable characters: only a redemption "
				+ "naming it succeeds", example = "customer-4711") @Nullable String customerId) {

	static final GenerateRequest NONE = new GenerateRequest(null, null, null, null, null);

}
