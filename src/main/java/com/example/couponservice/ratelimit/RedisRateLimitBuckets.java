package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;

import org.springframework.dao.DataAccessResourceFailureException;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * Buckets every instance shares, as keys of the Redis Cluster (profile {@code redis}), so
 * N instances give a client one budget, not N. A bucket is a fixed window, as in
 * PostgreSQL mode: its first attempt opens it, {@code capacity} attempts pass in it, and
 * it resets {@code window} after it opened. Time is the application's {@link Clock}.
 * <p>
 * Each attempt is one script on the key's master (one round trip): it counts the attempt
 * and returns the count and the window's end. Redis runs a script alone, so clients
 * sharing a bucket (a network's) never retry against each other, as Bucket4j's
 * compare-and-swap integration (a read, then a conditional write) does: with 64 clients
 * of one network it fell to a tenth of the throughput without limits
 * (docs/performance.md). A key expires when its window ends, so Redis forgets idle
 * clients by itself. Each bucket is one key: there is no hash tag to share, and buckets
 * spread over all masters. Bucket writes are not {@code WAIT}ed: a failover may hand a
 * client a fresh budget for one window.
 */
class RedisRateLimitBuckets extends SharedRateLimitBuckets implements AutoCloseable {

	/**
	 * KEYS[1] the bucket; ARGV now, window (ms), capacity. Returns {used, resets at};
	 * once over capacity the count stops (the key is refused locally from then on
	 * anyway).
	 */
	static final String CONSUME = """
			local now, window, capacity = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
			local bucket = redis.call('HMGET', KEYS[1], 'u', 'r')
			local used, resets = tonumber(bucket[1]), tonumber(bucket[2])
			if resets == nil or resets <= now then
				used, resets = 1, now + window
				redis.call('HSET', KEYS[1], 'u', used, 'r', resets)
				redis.call('PEXPIRE', KEYS[1], window)
			elseif used <= capacity then
				used = redis.call('HINCRBY', KEYS[1], 'u', 1)
			else
				used = capacity + 1
			end
			return {used, resets}
			""";

	private final String sha;

	private final String keyPrefix;

	private volatile StatefulRedisClusterConnection<String, String> connection;

	/** Keys this instance used within the idle timeout: the gauge's estimate. */
	private final Cache<String, Boolean> seen;

	/**
	 * @param connection a cluster connection, closed with this
	 * @param keyPrefix put before every bucket key
	 */
	RedisRateLimitBuckets(StatefulRedisClusterConnection<String, String> connection, String keyPrefix,
			RateLimitProperties properties, Clock clock) {
		super(properties, clock);
		this.connection = connection;
		this.keyPrefix = keyPrefix;
		// On every master, so the first attempts do not each send the body.
		this.sha = connection.sync().scriptLoad(CONSUME);
		this.seen = Caffeine.newBuilder()
			.maximumSize(properties.maxTrackedClients())
			.expireAfterWrite(properties.idleTimeout())
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	/**
	 * Go on over another connection: the connection factory's client is replaced when its
	 * lifecycle stops and starts again.
	 */
	void reconnect(StatefulRedisClusterConnection<String, String> connection) {
		this.connection = connection;
	}

	@Override
	Decision consume(Budget budget, Scope scope, String id) {
		long capacity = capacity(budget, scope);
		long now = this.clock.millis();
		String key = this.keyPrefix + id;
		String[] keys = { key };
		String[] args = { Long.toString(now), Long.toString(this.properties.limit(budget).window().toMillis()),
				Long.toString(capacity) };
		RedisAdvancedClusterCommands<String, String> commands = this.connection.sync();
		List<Long> window;
		try {
			try {
				window = commands.evalsha(this.sha, ScriptOutputType.MULTI, keys, args);
			}
			catch (RedisNoScriptException ex) {
				// A node restarted or flushed its scripts: EVAL loads it there again.
				window = commands.eval(CONSUME, ScriptOutputType.MULTI, keys, args);
			}
		}
		catch (RedisException ex) {
			throw new DataAccessResourceFailureException("rate-limit buckets unavailable: " + ex.getMessage(), ex);
		}
		this.seen.put(key, Boolean.TRUE);
		return decision(capacity, window.get(0), window.get(1), now);
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
