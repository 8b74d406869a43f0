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
 * Buckets in this process, one Caffeine cache per budget: bounded in size and forgetting
 * clients idle for longer than a window, so a flood of addresses cannot exhaust the heap.
 */
class LocalRateLimitBuckets implements RateLimitBuckets {

	private final Map<Budget, Cache<String, ClientBucket>> buckets = new EnumMap<>(Budget.class);

	private final RateLimitProperties properties;

	private final TimeMeter time;

	LocalRateLimitBuckets(RateLimitProperties properties, Clock clock) {
		this.properties = properties;
		this.time = new ClockTimeMeter(clock);
		for (Budget budget : Budget.values()) {
			this.buckets.put(budget,
					Caffeine.newBuilder()
						.maximumSize(properties.maxTrackedClients())
						.expireAfterAccess(properties.idleTimeout())
						.ticker(this.time::currentTimeNanos)
						.build());
		}
	}

	@Override
	public Decision tryConsume(Budget budget, String clientKey) {
		RateLimitProperties.Limit limit = this.properties.limit(budget);
		ClientBucket client = Objects.requireNonNull(this.buckets.get(budget))
			.get(clientKey, (key) -> newBucket(limit));
		ConsumptionProbe probe = client.bucket.tryConsumeAndReturnRemaining(1);
		boolean firstRejection = false;
		if (probe.isConsumed()) {
			client.limited.set(false);
		}
		else {
			firstRejection = client.limited.compareAndSet(false, true);
		}
		return new Decision(probe.isConsumed(), limit.capacity(), probe.getRemainingTokens(),
				probe.getNanosToWaitForRefill(), probe.getNanosToWaitForReset(), firstRejection);
	}

	private ClientBucket newBucket(RateLimitProperties.Limit limit) {
		Bucket bucket = Bucket.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(limit.capacity())
				.refillIntervally(limit.capacity(), limit.window()))
			.withCustomTimePrecision(this.time)
			.build();
		return new ClientBucket(bucket, new AtomicBoolean());
	}

	@Override
	public long trackedClients() {
		return this.buckets.values().stream().mapToLong(Cache::estimatedSize).sum();
	}

	/** A client's bucket, and whether its last attempt was rejected. */
	private record ClientBucket(Bucket bucket, AtomicBoolean limited) {
	}

}
