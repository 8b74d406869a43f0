package com.example.couponservice.coupon.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Body of {@code POST /void-coupon}. */
record VoidRequest(@Schema(example = "AB2C4XYZ", requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String code) {
}
