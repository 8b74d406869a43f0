package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

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
 * A request that spends two windows (its address's and its network's) spends both in one
 * statement: the network's upsert runs only when the address's let the attempt through.
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

	/**
	 * Two windows of one budget in one round trip: the second row is counted only when
	 * the first let the attempt through. Rows are locked first then second, as every
	 * request orders them (address, then network), so two requests cannot deadlock.
	 */
	private static final String CONSUME_TWO = """
			WITH first AS (
				INSERT INTO rate_limit_window AS w (id, used, resets_at) VALUES (:first, 1, :now + :window)
				ON CONFLICT (id) DO UPDATE SET
					used = CASE WHEN w.resets_at <= :now THEN 1 ELSE least(w.used + 1, :firstCapacity + 1) END,
					resets_at = CASE WHEN w.resets_at <= :now THEN :now + :window ELSE w.resets_at END
				RETURNING used, resets_at
			), second AS (
				INSERT INTO rate_limit_window AS w (id, used, resets_at)
				SELECT :second, 1, :now + :window FROM first WHERE first.used <= :firstCapacity
				ON CONFLICT (id) DO UPDATE SET
					used = CASE WHEN w.resets_at <= :now THEN 1 ELSE least(w.used + 1, :secondCapacity + 1) END,
					resets_at = CASE WHEN w.resets_at <= :now THEN :now + :window ELSE w.resets_at END
				RETURNING used, resets_at
			)
			SELECT 1 AS position, used, resets_at FROM first
			UNION ALL SELECT 2, used, resets_at FROM second
			ORDER BY position
			""";

	private static final String REMOVE_EXPIRED = """
			DELETE FROM rate_limit_window WHERE id IN (
				SELECT id FROM rate_limit_window WHERE resets_at <= :now LIMIT :batch FOR UPDATE SKIP LOCKED)
			""";

	private final JdbcClient jdbc;

	PostgresRateLimitBuckets(DataSource dataSource, RateLimitProperties properties, Clock clock) {
		super(properties, clock);
		this.jdbc = JdbcClient.create(dataSource);
	}

	@Override
	Decision consume(Budget budget, Scope scope, String id) {
		RateLimitProperties.Limit limit = this.properties.limit(budget);
		long capacity = capacity(budget, scope);
		long now = this.clock.millis();
		long[] window = this.jdbc.sql(CONSUME)
			.param("id", id)
			.param("now", now)
			.param("window", limit.window().toMillis())
			.param("capacity", capacity)
			.query((rs, row) -> new long[] { rs.getLong("used"), rs.getLong("resets_at") })
			.single();
		return decision(capacity, window[0], window[1], now);
	}

	@Override
	List<Decision> consume(Budget budget, List<Scope> scopes, List<String> ids) {
		if (scopes.size() != 2) {
			return super.consume(budget, scopes, ids);
		}
		long firstCapacity = capacity(budget, scopes.get(0));
		long secondCapacity = capacity(budget, scopes.get(1));
		long now = this.clock.millis();
		List<long[]> windows = this.jdbc.sql(CONSUME_TWO)
			.param("first", ids.get(0))
			.param("second", ids.get(1))
			.param("now", now)
			.param("window", this.properties.limit(budget).window().toMillis())
			.param("firstCapacity", firstCapacity)
			.param("secondCapacity", secondCapacity)
			.query((rs, row) -> new long[] { rs.getLong("used"), rs.getLong("resets_at") })
			.list();
		List<Decision> decisions = new ArrayList<>(2);
		decisions.add(decision(firstCapacity, windows.get(0)[0], windows.get(0)[1], now));
		if (windows.size() > 1) {
			decisions.add(decision(secondCapacity, windows.get(1)[0], windows.get(1)[1], now));
		}
		return decisions;
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
