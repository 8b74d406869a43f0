package com.example.couponservice.coupon.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Answer of {@code POST /generate-coupon}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record GenerateResponse(@Schema(example = "AB2C4XYZ") String code,
		@Schema(description = "present when the coupon expires") @Nullable Instant expiresAt,
		@Schema(description = "present when given") @Nullable String campaign,
		@Schema(description = "the customer the coupon is bound to, when given") @Nullable String customerId) {
}
