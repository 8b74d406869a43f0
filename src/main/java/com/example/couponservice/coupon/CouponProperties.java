package com.example.couponservice.coupon;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Tunables of coupon generation and storage ({@code coupon.*}).
 *
 * @param pool the pre-filled pool of fresh codes
 * @param generation on-demand generation and request limits
 * @param store the in-memory store
 * @param defaultTtl lifetime given to a coupon generated without {@code expiresAt} or
 * {@code ttl}; unset means coupons never expire
 */
@Validated
@ConfigurationProperties("coupon")
public record CouponProperties(@Valid @DefaultValue Pool pool, @Valid @DefaultValue Generation generation,
		@Valid @DefaultValue Store store, @Nullable Duration defaultTtl) {

	/**
	 * @param size how many fresh codes the pool holds when full
	 * @param refillThreshold the filler tops the pool up when it holds fewer codes than
	 * this
	 * @param checkInterval how often the filler checks the pool even when nobody draws
	 * from it (it restarts a failed refill)
	 */
	public record Pool(@DefaultValue("10000") @Min(0) int size, @DefaultValue("5000") @Min(0) int refillThreshold,
			@DefaultValue("1s") @NotNull Duration checkInterval) {
	}

	/**
	 * @param maxAttempts how many fresh codes one generation tries before it gives up on
	 * collisions (each try has a chance of about n/2^40 of colliding)
	 * @param maxBulkCount the largest {@code count} accepted by bulk generation
	 */
	public record Generation(@DefaultValue("10") @Min(1) @Max(1000) int maxAttempts,
			@DefaultValue("10000") @Positive int maxBulkCount) {
	}

	/**
	 * @param maxCoupons most coupons the in-memory store holds; generation past it
	 * answers 507. Zero sizes it to the heap: about 1,000,000 coupons for every 256 MiB
	 * of maximum heap
	 */
	public record Store(@DefaultValue("0") @Min(0) long maxCoupons) {
	}

}
