package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * Buckets in this process, one Caffeine cache per budget and scope: bounded in size and
 * forgetting keys idle for longer than a window, so a flood of addresses cannot exhaust
 * the heap.
 */
class LocalRateLimitBuckets implements RateLimitBuckets {

	private final Map<Budget, Map<Scope, Cache<String, KeyBucket>>> buckets = new EnumMap<>(Budget.class);

	private final RateLimitProperties properties;

	private final TimeMeter time;

	LocalRateLimitBuckets(RateLimitProperties properties, Clock clock) {
		this.properties = properties;
		this.time = new ClockTimeMeter(clock);
		for (Budget budget : Budget.values()) {
			Map<Scope, Cache<String, KeyBucket>> scopes = new EnumMap<>(Scope.class);
			for (Scope scope : Scope.values()) {
				scopes.put(scope,
						Caffeine.newBuilder()
							.maximumSize(properties.maxTrackedClients())
							.expireAfterAccess(properties.idleTimeout())
							.ticker(this.time::currentTimeNanos)
							.build());
			}
			this.buckets.put(budget, scopes);
		}
	}

	@Override
	public Decision tryConsume(Budget budget, Scope scope, String key) {
		RateLimitProperties.Limit limit = this.properties.limit(budget);
		long capacity = limit.capacity(scope);
		KeyBucket bucket = cache(budget, scope).get(key, (k) -> newBucket(capacity, limit));
		ConsumptionProbe probe = bucket.bucket.tryConsumeAndReturnRemaining(1);
		boolean firstRejection = false;
		if (probe.isConsumed()) {
			bucket.limited.set(false);
		}
		else {
			firstRejection = bucket.limited.compareAndSet(false, true);
		}
		return new Decision(probe.isConsumed(), capacity, probe.getRemainingTokens(), probe.getNanosToWaitForRefill(),
				probe.getNanosToWaitForReset(), firstRejection);
	}

	private Cache<String, KeyBucket> cache(Budget budget, Scope scope) {
		return Objects.requireNonNull(Objects.requireNonNull(this.buckets.get(budget)).get(scope));
	}

	private KeyBucket newBucket(long capacity, RateLimitProperties.Limit limit) {
		Bucket bucket = Bucket.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(capacity).refillIntervally(capacity, limit.window()))
			.withCustomTimePrecision(this.time)
			.build();
		return new KeyBucket(bucket, new AtomicBoolean());
	}

	@Override
	public long trackedClients() {
		return this.buckets.values()
			.stream()
			.flatMap((scopes) -> scopes.values().stream())
			.mapToLong(Cache::estimatedSize)
			.sum();
	}

	/** A key's bucket, and whether its last attempt was rejected. */
	private record KeyBucket(Bucket bucket, AtomicBoolean limited) {
	}

}
