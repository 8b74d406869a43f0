package com.example.couponservice.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * Where client buckets live: in this process (the default) or in a store every instance
 * shares, so that N instances do not give a client N budgets.
 */
public interface RateLimitBuckets {

	/**
	 * Spend one token of {@code budget} in the bucket of {@code key} ({@link ClientKeys}:
	 * a client's address or its network, as {@code scope} says); the budget's capacity in
	 * that scope is more than zero.
	 */
	Decision tryConsume(Budget budget, Scope scope, String key);

	/**
	 * Spend one token of {@code budget} in each of {@code scopes} in turn, with the key
	 * {@code keyOf} gives for it, and stop at the first refusal: a refused attempt must
	 * not spend the wider budgets too, or one blocked client would drain its neighbours'
	 * share. Returns the decisions made, in order; only the last may be a refusal.
	 */
	default List<Decision> tryConsume(Budget budget, List<Scope> scopes, Function<Scope, String> keyOf) {
		List<Decision> decisions = new ArrayList<>(scopes.size());
		for (Scope scope : scopes) {
			Decision decision = tryConsume(budget, scope, keyOf.apply(scope));
			decisions.add(decision);
			if (!decision.allowed()) {
				break;
			}
		}
		return decisions;
	}

	/** Client buckets currently held (an estimate). */
	long trackedClients();

	/**
	 * The outcome of one attempt.
	 *
	 * @param allowed whether a token was spent
	 * @param limit tokens per window
	 * @param remaining tokens left after this attempt
	 * @param nanosToRefill until the next token returns (0 when allowed)
	 * @param nanosToReset until the bucket is full again
	 * @param firstRejection whether this is the first rejection since the key was last
	 * allowed through: the moment the limit triggered
	 */
	record Decision(boolean allowed, long limit, long remaining, long nanosToRefill, long nanosToReset,
			boolean firstRejection) {
	}

}
