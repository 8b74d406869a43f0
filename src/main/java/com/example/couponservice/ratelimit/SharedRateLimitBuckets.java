package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

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

	final RateLimitProperties properties;

	final Clock clock;

	/** Keys refused since they were last allowed through, and until when. */
	private final Cache<String, Refusal> refused;

	SharedRateLimitBuckets(RateLimitProperties properties, Clock clock) {
		this.properties = properties;
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
		return tryConsume(budget, List.of(scope), (ignored) -> key).get(0);
	}

	/**
	 * Keys this instance has seen spent are refused here; the scopes before the first of
	 * them are spent in the shared store, all in one
	 * {@link #consume(Budget, List, List)}.
	 */
	@Override
	public final List<Decision> tryConsume(Budget budget, List<Scope> scopes, Function<Scope, String> keyOf) {
		long now = this.clock.millis();
		List<String> ids = new ArrayList<>(scopes.size());
		int spentAt = scopes.size();
		Refusal spent = null;
		for (int i = 0; i < scopes.size(); i++) {
			ids.add(prefix(budget, scopes.get(i)) + keyOf.apply(scopes.get(i)));
			Refusal refusal = this.refused.getIfPresent(ids.get(i));
			if (refusal != null && now < refusal.until()) {
				spentAt = i;
				spent = refusal;
				break;
			}
		}
		List<Decision> decisions = new ArrayList<>(spentAt + 1);
		if (spentAt > 0) {
			List<Decision> made = consume(budget, scopes.subList(0, spentAt), ids.subList(0, spentAt));
			for (int i = 0; i < made.size(); i++) {
				decisions.add(remember(ids.get(i), made.get(i), now));
			}
			if (!made.get(made.size() - 1).allowed()) {
				return decisions;
			}
		}
		if (spent != null) {
			long left = TimeUnit.MILLISECONDS.toNanos(spent.until() - now);
			decisions.add(new Decision(false, spent.limit(), 0, left, left, false));
		}
		return decisions;
	}

	/**
	 * Note what the store decided for {@code id}: a refusal is kept until its window
	 * ends, and is the first one unless the key was refused before.
	 */
	private Decision remember(String id, Decision decision, long now) {
		@Nullable Refusal before = this.refused.getIfPresent(id);
		if (decision.allowed()) {
			if (before != null) {
				this.refused.invalidate(id);
			}
			return decision;
		}
		long until = now
				+ TimeUnit.NANOSECONDS.toMillis(decision.nanosToRefill() + TimeUnit.MILLISECONDS.toNanos(1) - 1);
		this.refused.put(id, new Refusal(decision.limit(), until));
		return new Decision(false, decision.limit(), decision.remaining(), decision.nanosToRefill(),
				decision.nanosToReset(), before == null);
	}

	/**
	 * Spend a token of each bucket of {@code ids} (one per scope, in order) in the shared
	 * store, stopping at the first refusal; by default one
	 * {@link #consume(Budget, Scope, String)} after the other. A store that can decide
	 * them in one round trip does.
	 */
	List<Decision> consume(Budget budget, List<Scope> scopes, List<String> ids) {
		List<Decision> decisions = new ArrayList<>(scopes.size());
		for (int i = 0; i < scopes.size(); i++) {
			Decision decision = consume(budget, scopes.get(i), ids.get(i));
			decisions.add(decision);
			if (!decision.allowed()) {
				break;
			}
		}
		return decisions;
	}

	/**
	 * Spend a token of bucket {@code id} in the shared store; the decision's
	 * {@code firstRejection} is ignored (this class knows it).
	 */
	abstract Decision consume(Budget budget, Scope scope, String id);

	/** The capacity of {@code budget} in {@code scope}, which must have a limit. */
	long capacity(Budget budget, Scope scope) {
		long capacity = this.properties.limit(budget).capacity(scope);
		if (capacity <= 0) {
			throw new IllegalArgumentException("the " + budget.tag() + " budget has no " + scope.tag() + " limit");
		}
		return capacity;
	}

	/**
	 * What a fixed window the store counted says: {@code used} attempts in it, this one
	 * included, and it ends at {@code resetsAt} (epoch milliseconds).
	 */
	static Decision decision(long capacity, long used, long resetsAt, long now) {
		long nanosToReset = TimeUnit.MILLISECONDS.toNanos(Math.max(0, resetsAt - now));
		boolean allowed = used <= capacity;
		return new Decision(allowed, capacity, Math.max(0, capacity - used), allowed ? 0 : nanosToReset, nanosToReset,
				false);
	}

	/** Until when (epoch milliseconds of the clock) a refused key stays refused. */
	private record Refusal(long limit, long until) {
	}

}
