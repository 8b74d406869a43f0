package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * Buckets every instance shares (PostgreSQL, Redis): each attempt costs one call to the
 * shared store, except on a key whose budget this instance has seen spent. Until that
 * window ends the key is refused here, without a round trip: a spent window gets no token
 * back before it ends, whatever the other instances do, so the answer is the one the
 * store would give. A client that floods after its budget is spent therefore costs the
 * store one call per window, not one per request; the store stays the only place a token
 * is spent.
 */
abstract class SharedRateLimitBuckets implements RateLimitBuckets {

	private final Clock clock;

	/** Keys refused since they were last allowed through, and until when. */
	private final Cache<String, Refusal> refused;

	SharedRateLimitBuckets(RateLimitProperties properties, Clock clock) {
		this.clock = clock;
		this.refused = Caffeine.newBuilder()
			.maximumSize(properties.maxTrackedClients())
			.expireAfterWrite(properties.idleTimeout())
			.build();
	}

	/** {@code redeem:} for an address, {@code redeem/network:} for a network. */
	static String prefix(Budget budget, Scope scope) {
		return (scope == Scope.ADDRESS) ? budget.tag() + ":" : budget.tag() + "/" + scope.tag() + ":";
	}

	@Override
	public final Decision tryConsume(Budget budget, Scope scope, String key) {
		String id = prefix(budget, scope) + key;
		long now = this.clock.millis();
		Refusal refusal = this.refused.getIfPresent(id);
		if (refusal != null && now < refusal.until()) {
			long left = TimeUnit.MILLISECONDS.toNanos(refusal.until() - now);
			return new Decision(false, refusal.limit(), 0, left, left, false);
		}
		Decision decision = consume(budget, scope, id);
		if (decision.allowed()) {
			if (refusal != null) {
				this.refused.invalidate(id);
			}
			return decision;
		}
		long until = now
				+ TimeUnit.NANOSECONDS.toMillis(decision.nanosToRefill() + TimeUnit.MILLISECONDS.toNanos(1) - 1);
		this.refused.put(id, new Refusal(decision.limit(), until));
		return new Decision(false, decision.limit(), decision.remaining(), decision.nanosToRefill(),
				decision.nanosToReset(), refusal == null);
	}

	/**
	 * Spend a token of bucket {@code id} in the shared store; the decision's
	 * {@code firstRejection} is ignored (this class knows it).
	 */
	abstract Decision consume(Budget budget, Scope scope, String id);

	/** Until when (epoch milliseconds of the clock) a refused key stays refused. */
	private record Refusal(long limit, long until) {
	}

}
