package com.example.couponservice.coupon.web;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code GET /coupons/{code}/events}: the history, oldest first. */
record EventsResponse(@Schema(example = "AB2C4XYZ") String code, List<EventResponse> events) {
}
