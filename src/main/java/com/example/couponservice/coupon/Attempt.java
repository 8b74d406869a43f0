package com.example.couponservice.coupon;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Who asks for a change of a coupon, and when: what a store needs to decide the outcome
 * and to record the event.
 *
 * @param now when, to the millisecond
 * @param reference the caller's order id (redemption, reversal), if any
 * @param customerId the customer (redemption, validation), if any
 * @param client the caller's address as the rate limiter saw it, if known
 */
public record Attempt(Instant now, @Nullable String reference, @Nullable String customerId, @Nullable String client) {

}
