package com.example.couponservice.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.example.couponservice.coupon.web.CouponEndpoint.Budget;

/**
 * Buckets every instance shares, as rows of the {@code rate_limit_bucket} table (Flyway
 * V2), through Bucket4j's own PostgreSQL integration: each attempt locks its row
 * ({@code SELECT ... FOR UPDATE}), so N instances give a client one budget, not N.
 * <p>
 * A row expires once its bucket would be full again; {@link #removeExpired()} deletes
 * expired rows in batches, and rows Bucket4j created but never filled (a transaction cut
 * off between its insert and its update) once they are older than the longest window.
 */
class PostgresRateLimitBuckets implements RateLimitBuckets {

	static final String TABLE = "rate_limit_bucket";

	private static final Logger logger = LoggerFactory.getLogger(PostgresRateLimitBuckets.class);

	private static final int CLEANUP_BATCH = 1_000;

	private static final String REMOVE_UNFILLED = """
			DELETE FROM rate_limit_bucket WHERE id IN (
				SELECT id FROM rate_limit_bucket
				WHERE state IS NULL AND created_at < now() - make_interval(secs => :seconds)
				LIMIT :batch FOR UPDATE SKIP LOCKED)
			""";

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	private final Map<String, BucketConfiguration> configurations = new HashMap<>();

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Duration longestWindow;

	/** Keys whose last attempt here was rejected, to log each trigger once. */
	private final Cache<String, Boolean> limited;

	PostgresRateLimitBuckets(DataSource dataSource, RateLimitProperties properties, Clock clock) {
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table(TABLE)
			.idColumn("id")
			.stateColumn("state")
			.expiresAtColumn("expires_at")
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
			.clientClock(new ClockTimeMeter(clock))
			.build();
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
		this.jdbc = JdbcClient.create(dataSource);
		this.clock = clock;
		this.longestWindow = properties.longestWindow();
		this.limited = Caffeine.newBuilder()
			.maximumSize(properties.maxTrackedClients())
			.expireAfterWrite(properties.idleTimeout())
			.build();
	}

	/** {@code redeem:} for an address, {@code redeem/network:} for a network. */
	private static String prefix(Budget budget, Scope scope) {
		return (scope == Scope.ADDRESS) ? budget.tag() + ":" : budget.tag() + "/" + scope.tag() + ":";
	}

	@Override
	public Decision tryConsume(Budget budget, Scope scope, String key) {
		String prefix = prefix(budget, scope);
		BucketConfiguration configuration = this.configurations.get(prefix);
		if (configuration == null) {
			throw new IllegalArgumentException("the " + budget.tag() + " budget has no " + scope.tag() + " limit");
		}
		String id = prefix + key;
		ConsumptionProbe probe;
		try {
			probe = this.buckets.builder().build(id, () -> configuration).tryConsumeAndReturnRemaining(1);
		}
		catch (BucketExceptions.BucketExecutionException ex) {
			throw new DataAccessResourceFailureException("rate-limit buckets unavailable: " + ex.getMessage(), ex);
		}
		boolean firstRejection = false;
		if (probe.isConsumed()) {
			this.limited.invalidate(id);
		}
		else {
			firstRejection = this.limited.asMap().putIfAbsent(id, Boolean.TRUE) == null;
		}
		long capacity = configuration.getBandwidths()[0].getCapacity();
		return new Decision(probe.isConsumed(), capacity, probe.getRemainingTokens(), probe.getNanosToWaitForRefill(),
				probe.getNanosToWaitForReset(), firstRejection);
	}

	/**
	 * A count query: {@link RateLimitMetrics} caches it rather than run it per scrape.
	 */
	@Override
	public long trackedClients() {
		return this.jdbc.sql("SELECT count(*) FROM " + TABLE + " WHERE expires_at > ?")
			.param(this.clock.millis())
			.query(Long.class)
			.single();
	}

	/**
	 * Delete the rows of buckets that are full again, and rows never filled that are
	 * older than the longest window; returns how many went.
	 */
	int removeExpired() {
		int total = 0;
		int removed;
		do {
			removed = this.buckets.removeExpired(CLEANUP_BATCH);
			total += removed;
		}
		while (removed == CLEANUP_BATCH);
		do {
			removed = this.jdbc.sql(REMOVE_UNFILLED)
				.param("seconds", this.longestWindow.toSeconds())
				.param("batch", CLEANUP_BATCH)
				.update();
			total += removed;
		}
		while (removed == CLEANUP_BATCH);
		if (total > 0) {
			logger.debug("Removed {} expired rate-limit buckets", total);
		}
		return total;
	}

}
