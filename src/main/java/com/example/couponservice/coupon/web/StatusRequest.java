package com.example.couponservice.coupon.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Body of {@code POST /coupon-status}: the lookup that keeps the code out of URLs. */
record StatusRequest(@Schema(description = "the code; case, spaces and '-' are ignored", example = "AB2C4XYZ",
		requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String code) {
}
