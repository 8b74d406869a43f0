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
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Tunables of coupon generation and storage ({@code coupon.*}).
 *
 * @param pool the pre-filled pool of fresh codes
 * @param generation on-demand generation and request limits
 * @param store the in-memory store
 * @param redeem rules of redemption
 * @param events the history kept of each coupon
 * @param defaultTtl lifetime given to a coupon generated without {@code expiresAt} or
 * {@code ttl}; unset means coupons never expire
 */
@Validated
@ConfigurationProperties("coupon")
public record CouponProperties(@Valid @DefaultValue Pool pool, @Valid @DefaultValue Generation generation,
		@Valid @DefaultValue Store store, @Valid @DefaultValue Redeem redeem, @Valid @DefaultValue Events events,
		@Nullable Duration defaultTtl) {

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
	 * @param maxPerCoupon events kept per coupon: its {@code GENERATED} event and the
	 * latest others, so hammering one code cannot grow the store without end
	 * @param retention PostgreSQL mode: events older than this are deleted (in batches,
	 * every {@code cleanup-interval})
	 * @param cleanupInterval PostgreSQL mode: how often old events are deleted
	 */
	public record Events(@DefaultValue("100") @Min(2) @Max(10000) int maxPerCoupon,
			@DefaultValue("P400D") @NotNull Duration retention, @DefaultValue("1h") @NotNull Duration cleanupInterval) {
	}

	/**
	 * @param requireReference refuse a redemption that names no reference (neither
	 * {@code reference} nor an {@code Idempotency-Key}): without one, a repeat answers
	 * 200 to anyone, so a storefront that checks only the status would grant the discount
	 * twice. On in the {@code prod} profile
	 */
	public record Redeem(@DefaultValue("false") boolean requireReference) {
	}

	/**
	 * @param maxMemory the heap the in-memory store may fill with coupons, counted in
	 * estimated bytes (a plain coupon about 100, one with 16 long metadata entries about
	 * 10,000); generation past it answers 507. Zero gives it 40 % of the maximum heap:
	 * about 2 million plain coupons with {@code -Xmx512m}
	 */
	public record Store(@DefaultValue("0") DataSize maxMemory) {
	}

}
