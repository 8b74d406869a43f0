package com.example.couponservice.coupon.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import com.example.couponservice.coupon.CouponEvent;

/** One event of a coupon's history, as {@code GET /coupons/{code}/events} shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EventResponse(@Schema(example = "REDEEMED") CouponEvent.Kind kind, Instant at,
		@Schema(description = "why a redemption was refused, or what a validation found",
				example = "already_redeemed") @Nullable String outcome,
		@Nullable String reference, @Nullable String customerId,
		@Schema(description = "the caller's address, as the rate limiter saw it") @Nullable String client,
		@Schema(description = "why a redemption was reversed") @Nullable String reason) {

	static EventResponse of(CouponEvent event) {
		return new EventResponse(event.kind(), event.at(), event.outcome(), event.reference(), event.customerId(),
				event.client(), event.reason());
	}

}
