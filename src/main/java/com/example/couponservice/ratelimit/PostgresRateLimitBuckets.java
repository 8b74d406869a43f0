package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * Buckets every instance shares, as rows of the {@code rate_limit_window} table (Flyway
 * V6), so N instances give a client one budget, not N. A bucket is a fixed window: its
 * first attempt opens it, {@code capacity} attempts pass in it, and it resets
 * {@code window} after it opened (as Bucket4j's interval refill does in the other modes).
 * <p>
 * Each attempt is one statement, an upsert that counts it and returns the count and the
 * reset time: one round trip, no transaction around it, and the row is locked only while
 * that statement runs, so clients sharing a bucket (a network's) do not queue behind each
 * other's round trips. The table is {@code UNLOGGED}: these writes produce no WAL and
 * their commits wait for no disk flush; the price is that a crash of PostgreSQL (or a
 * failover to a standby) empties it, which gives every client a fresh budget.
 * <p>
 * {@link #removeExpired()} deletes the rows of windows that have ended, in batches.
 */
class PostgresRateLimitBuckets extends SharedRateLimitBuckets {

	static final String TABLE = "rate_limit_window";

	private static final Logger logger = LoggerFactory.getLogger(PostgresRateLimitBuckets.class);

	private static final int CLEANUP_BATCH = 1_000;

	/** Every SET expression reads the row as it was before this attempt. */
	private static final String CONSUME = """
			INSERT INTO rate_limit_window AS w (id, used, resets_at) VALUES (:id, 1, :now + :window)
			ON CONFLICT (id) DO UPDATE SET
				used = CASE WHEN w.resets_at <= :now THEN 1 ELSE least(w.used + 1, :capacity + 1) END,
				resets_at = CASE WHEN w.resets_at <= :now THEN :now + :window ELSE w.resets_at END
			RETURNING used, resets_at
			""";

	private static final String REMOVE_EXPIRED = """
			DELETE FROM rate_limit_window WHERE id IN (
				SELECT id FROM rate_limit_window WHERE resets_at <= :now LIMIT :batch FOR UPDATE SKIP LOCKED)
			""";

	private final JdbcClient jdbc;

	private final RateLimitProperties properties;

	private final Clock clock;

	PostgresRateLimitBuckets(DataSource dataSource, RateLimitProperties properties, Clock clock) {
		super(properties, clock);
		this.jdbc = JdbcClient.create(dataSource);
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	Decision consume(Budget budget, Scope scope, String id) {
		RateLimitProperties.Limit limit = this.properties.limit(budget);
		long capacity = limit.capacity(scope);
		if (capacity <= 0) {
			throw new IllegalArgumentException("the " + budget.tag() + " budget has no " + scope.tag() + " limit");
		}
		long now = this.clock.millis();
		long[] window = this.jdbc.sql(CONSUME)
			.param("id", id)
			.param("now", now)
			.param("window", limit.window().toMillis())
			.param("capacity", capacity)
			.query((rs, row) -> new long[] { rs.getLong("used"), rs.getLong("resets_at") })
			.single();
		long used = window[0];
		long nanosToReset = TimeUnit.MILLISECONDS.toNanos(Math.max(0, window[1] - now));
		boolean allowed = used <= capacity;
		return new Decision(allowed, capacity, Math.max(0, capacity - used), allowed ? 0 : nanosToReset, nanosToReset,
				false);
	}

	/**
	 * A count query: {@link RateLimitMetrics} caches it rather than run it per scrape.
	 */
	@Override
	public long trackedClients() {
		return this.jdbc.sql("SELECT count(*) FROM " + TABLE + " WHERE resets_at > ?")
			.param(this.clock.millis())
			.query(Long.class)
			.single();
	}

	/** Delete the rows of windows that have ended; returns how many went. */
	int removeExpired() {
		int total = 0;
		int removed;
		do {
			removed = this.jdbc.sql(REMOVE_EXPIRED)
				.param("now", this.clock.millis())
				.param("batch", CLEANUP_BATCH)
				.update();
			total += removed;
		}
		while (removed == CLEANUP_BATCH);
		if (total > 0) {
			logger.debug("Removed {} expired rate-limit windows", total);
		}
		return total;
	}

}
