package com.example.couponservice.ratelimit;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-client request budgets ({@code coupon.rate-limit.*}). Each budget is a fixed
 * window: {@code capacity} requests, all returned at once every {@code window}.
 *
 * @param redeem budget of {@code POST /redeem-coupon} (default 5 a minute)
 * @param status budget of {@code GET /coupon-status} (default 60 a minute)
 * @param generate budget of {@code POST /generate-coupon(s)}; capacity 0 (the default)
 * means unlimited
 * @param ipv6PrefixLength IPv6 clients share one budget per prefix of this length (a /64
 * is one customer's network); IPv4 clients are keyed by their full address
 * @param maxTrackedClients most client buckets kept in memory per endpoint; past it the
 * least recently used are dropped
 * @param idleTimeout a client bucket unused this long is dropped (at least the longest
 * window, so dropping it never hands out a fresh budget early)
 */
@Validated
@ConfigurationProperties("coupon.rate-limit")
public record RateLimitProperties(@Valid @NotNull Limit redeem, @Valid @NotNull Limit status,
		@Valid @NotNull Limit generate, @DefaultValue("64") @Min(1) @Max(128) int ipv6PrefixLength,
		@DefaultValue("100000") @Positive long maxTrackedClients, @DefaultValue("2m") @NotNull Duration idleTimeout) {

	public RateLimitProperties {
		Duration longest = max(max(redeem.window(), status.window()), generate.window());
		if (idleTimeout.compareTo(longest) < 0) {
			throw new IllegalArgumentException("coupon.rate-limit.idle-timeout (" + idleTimeout
					+ ") must be at least the longest window (" + longest + ")");
		}
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	/**
	 * @param capacity requests per window; 0 disables the limit
	 * @param window length of the fixed window
	 */
	public record Limit(@Min(0) long capacity, @DefaultValue("1m") @NotNull Duration window) {

		public boolean enabled() {
			return this.capacity > 0;
		}

	}

}
