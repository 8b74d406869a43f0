package com.example.couponservice.coupon.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Answer of {@code POST /validate-coupon}: whether a redemption would succeed now. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ValidateResponse(@Schema(example = "AB2C4XYZ") String code, @Schema(example = "true") boolean valid,
		@Schema(description = "present exactly when valid is false", allowableValues = {
				"not_found", "used", "expired", "void", "customer_mismatch" }) @Nullable String reason,
		@Schema(description = "present when the coupon expires") @Nullable Instant expiresAt,
		@Schema(description = "present when the coupon has one") @Nullable String campaign){
}
