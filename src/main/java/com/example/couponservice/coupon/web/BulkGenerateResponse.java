package com.example.couponservice.coupon.web;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /generate-coupons} in JSON. */
record BulkGenerateResponse(@Schema(example = "2") int count,
		@Schema(example = "[\"AB2C4XYZ\",\"QR7T9WXY\"]") List<String> codes) {
}
