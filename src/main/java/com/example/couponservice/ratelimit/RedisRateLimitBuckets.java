package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

import org.springframework.dao.DataAccessResourceFailureException;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * Buckets every instance shares, as keys of the Redis Cluster (profile {@code redis}),
 * through Bucket4j's Lettuce integration: each attempt reads the bucket's key and writes
 * it back with a compare-and-swap script (two round trips to the key's master, more only
 * when two instances change one bucket at the same moment), so N instances give a client
 * one budget, not N. Time is the application's {@link Clock}, as in the other modes.
 * <p>
 * A key expires once its bucket would be full again, so Redis forgets idle clients by
 * itself. Each bucket is one key: there is no hash tag to share, and buckets spread over
 * all masters.
 */
class RedisRateLimitBuckets extends SharedRateLimitBuckets implements AutoCloseable {

	private final TimeMeter time;

	private volatile StatefulRedisClusterConnection<String, byte[]> connection;

	private volatile LettuceBasedProxyManager<String> buckets;

	private final Map<String, BucketConfiguration> configurations = new HashMap<>();

	private final String keyPrefix;

	/** Keys this instance used within the idle timeout: the gauge's estimate. */
	private final Cache<String, Boolean> seen;

	/**
	 * @param connection a cluster connection (string keys, byte values), closed with this
	 * @param keyPrefix put before every bucket key
	 */
	RedisRateLimitBuckets(StatefulRedisClusterConnection<String, byte[]> connection, String keyPrefix,
			RateLimitProperties properties, Clock clock) {
		super(properties, clock);
		this.time = new ClockTimeMeter(clock);
		this.connection = connection;
		this.buckets = proxyManager(connection, this.time);
		this.keyPrefix = keyPrefix;
		for (Budget budget : Budget.values()) {
			RateLimitProperties.Limit limit = properties.limit(budget);
			for (Scope scope : Scope.values()) {
				long capacity = limit.capacity(scope);
				if (capacity > 0) {
					this.configurations.put(prefix(budget, scope), BucketConfiguration.builder()
						.addLimit(
								(bandwidth) -> bandwidth.capacity(capacity).refillIntervally(capacity, limit.window()))
						.build());
				}
			}
		}
		this.seen = Caffeine.newBuilder()
			.maximumSize(properties.maxTrackedClients())
			.expireAfterWrite(properties.idleTimeout())
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	private static LettuceBasedProxyManager<String> proxyManager(
			StatefulRedisClusterConnection<String, byte[]> connection, TimeMeter time) {
		return Bucket4jLettuce.casBasedBuilder(connection)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
			.clientClock(time)
			.build();
	}

	/**
	 * Go on over another connection: the connection factory's client is replaced when its
	 * lifecycle stops and starts again.
	 */
	void reconnect(StatefulRedisClusterConnection<String, byte[]> connection) {
		this.buckets = proxyManager(connection, this.time);
		this.connection = connection;
	}

	@Override
	Decision consume(Budget budget, Scope scope, String id) {
		BucketConfiguration configuration = this.configurations.get(prefix(budget, scope));
		if (configuration == null) {
			throw new IllegalArgumentException("the " + budget.tag() + " budget has no " + scope.tag() + " limit");
		}
		String key = this.keyPrefix + id;
		ConsumptionProbe probe;
		try {
			probe = this.buckets.builder().build(key, () -> configuration).tryConsumeAndReturnRemaining(1);
		}
		catch (BucketExceptions.BucketExecutionException | RedisException ex) {
			throw new DataAccessResourceFailureException("rate-limit buckets unavailable: " + ex.getMessage(), ex);
		}
		this.seen.put(key, Boolean.TRUE);
		long capacity = configuration.getBandwidths()[0].getCapacity();
		return new Decision(probe.isConsumed(), capacity, probe.getRemainingTokens(), probe.getNanosToWaitForRefill(),
				probe.getNanosToWaitForReset(), false);
	}

	/**
	 * The buckets this instance used within the idle timeout: counting the cluster's
	 * would take a {@code SCAN} of every master.
	 */
	@Override
	public long trackedClients() {
		return this.seen.estimatedSize();
	}

	@Override
	public void close() {
		this.connection.close();
	}

}
