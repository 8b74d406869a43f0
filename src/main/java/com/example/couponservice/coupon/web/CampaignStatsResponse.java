package com.example.couponservice.coupon.web;

import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

import com.example.couponservice.coupon.CouponStatus;

/** Answer of {@code GET /campaigns/{campaign}/stats}. */
record CampaignStatsResponse(@Schema(example = "black-friday-2026") String campaign, @Schema(example = "3") long total,
		@Schema(example = "{\"UNUSED\":1,\"USED\":1,\"EXPIRED\":0,\"VOID\":1}") Map<CouponStatus, Long> counts) {
}
