package com.example.couponservice.coupon.web;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Answer of {@code GET /coupons}: one page, and where the next begins. */
record ListResponse(List<CouponResponse> coupons,
		@Schema(description = "pass as after for the next page; null on the last page",
				example = "QR7T9WXY") @Nullable String next) {
}
