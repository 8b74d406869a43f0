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

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * Per-client request budgets ({@code coupon.rate-limit.*}). Each budget is a fixed
 * window: {@code capacity} requests, all returned at once every {@code window}.
 *
 * @param redeem budget of {@code POST /redeem-coupon}
 * @param status budget of {@code GET /coupon-status}
 * @param generate budget of {@code POST /generate-coupon} and
 * {@code POST /generate-coupons}
 * @param ipv6PrefixLength IPv6 clients share one budget per prefix of this length (a /64
 * is one customer's network); IPv4 clients are keyed by their full address
 * @param maxTrackedClients most client buckets kept in memory per budget; past it the
 * least recently used are dropped
 * @param idleTimeout a client bucket unused this long is dropped (at least the longest
 * window, so dropping it never hands out a fresh budget early)
 * @param cleanupInterval PostgreSQL mode: how often the rows of rate-limit windows that
 * have ended are deleted
 */
@Validated
@ConfigurationProperties("coupon.rate-limit")
public record RateLimitProperties(@Valid @DefaultValue Redeem redeem, @Valid @DefaultValue Status status,
		@Valid @DefaultValue Generate generate, @DefaultValue("64") @Min(1) @Max(128) int ipv6PrefixLength,
		@DefaultValue("24") @Min(1) @Max(32) int ipv4NetworkPrefixLength,
		@DefaultValue("48") @Min(1) @Max(128) int ipv6NetworkPrefixLength,
		@DefaultValue("100000") @Positive long maxTrackedClients, @DefaultValue("2m") @NotNull Duration idleTimeout,
		@DefaultValue("1m") @NotNull Duration cleanupInterval) {

	public RateLimitProperties

	{
		Duration longest = max(max(redeem.window(), status.window()), generate.window());
		if (idleTimeout.compareTo(longest) < 0) {
			throw new IllegalArgumentException("coupon.rate-limit.idle-timeout (" + idleTimeout
					+ ") must be at least the longest window (" + longest + ")");
		}
	}

	/** The longest window of any budget. */
	public Duration longestWindow() {
		return max(max(this.redeem.window(), this.status.window()), this.generate.window());
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	/** The limit of {@code budget}. */
	public Limit limit(Budget budget) {
		return switch (budget) {
			case REDEEM -> this.redeem;
			case STATUS -> this.status;
			case GENERATE -> this.generate;
		};
	}

	/**
	 * One budget: {@code capacity} requests per client and {@code networkCapacity} per
	 * network, per {@code window}; 0 disables either.
	 */
	public interface Limit {

		long capacity();

		long networkCapacity();

		Duration window();

		/** The capacity of one scope of this budget; 0 when it is switched off. */
		default long capacity(Scope scope) {
			return (scope == Scope.ADDRESS) ? capacity() : networkCapacity();
		}

	}

	/**
	 * @param capacity redemption and validation attempts per client and window; 0
	 * disables the limit
	 * @param networkCapacity the same per network (see the prefix lengths), counted at
	 * the same time; 0 disables it
	 * @param window length of the fixed window
	 */
	public record Redeem(@DefaultValue("5") @Min(0) long capacity, @DefaultValue("50") @Min(0) long networkCapacity,
			@DefaultValue("1m") @NotNull Duration window) implements Limit {
	}

	/**
	 * @param capacity status lookups per client and window; 0 disables the limit
	 * @param networkCapacity the same per network (see the prefix lengths), counted at
	 * the same time; 0 disables it
	 * @param window length of the fixed window
	 */
	public record Status(@DefaultValue("60") @Min(0) long capacity, @DefaultValue("600") @Min(0) long networkCapacity,
			@DefaultValue("1m") @NotNull Duration window) implements Limit {
	}

	/**
	 * @param capacity generation requests per client and window; 0 (the default) disables
	 * the limit: protect generation with the admin token instead
	 * @param window length of the fixed window
	 */
	public record Generate(@DefaultValue("0") @Min(0) long capacity,
			@DefaultValue("1m") @NotNull Duration window) implements Limit {

		/**
		 * Generation has no network limit: it is for operators, behind the admin token.
		 */
		@Override
		public long networkCapacity() {
			return 0;
		}

	}

}
