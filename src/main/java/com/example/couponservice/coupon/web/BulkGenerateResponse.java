package com.example.couponservice.coupon.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Answer of {@code POST /generate-coupons} in JSON. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BulkGenerateResponse(@Schema(example = "2") int count,
		@Schema(example = "[\"AB2C4XYZ\",\"QR7T9WXY\"]") List<String> codes,
		@Schema(description = "the customer the coupons are bound to, when given") @Nullable String customerId) {
}
