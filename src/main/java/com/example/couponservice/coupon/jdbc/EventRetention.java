package com.example.couponservice.coupon.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Enforces {@code coupon.events.retention}: deletes events older than it, in batches of
 * {@value #BATCH}, so a large backlog never holds long locks or one huge transaction.
 * Instances running it at the same time skip each other's rows.
 */
class EventRetention {

	static final int BATCH = 1_000;

	private static final Logger logger = LoggerFactory.getLogger(EventRetention.class);

	private static final String DELETE_OLD = """
			DELETE FROM coupon_event WHERE (code, seq) IN (
				SELECT code, seq FROM coupon_event WHERE at < :cutoff LIMIT :batch FOR UPDATE SKIP LOCKED)
			""";

	private final JdbcClient jdbc;

	private final Duration retention;

	private final Clock clock;

	private final Counter removed;

	EventRetention(JdbcClient jdbc, Duration retention, Clock clock, MeterRegistry registry) {
		this.jdbc = jdbc;
		this.retention = retention;
		this.clock = clock;
		this.removed = Counter.builder("coupon.events.removed")
			.description("Coupon events deleted because they are older than coupon.events.retention")
			.register(registry);
	}

	/** Delete every event older than the retention; returns how many went. */
	int removeOld() {
		var cutoff = this.clock.instant().minus(this.retention).atOffset(ZoneOffset.UTC);
		int total = 0;
		int deleted;
		do {
			deleted = this.jdbc.sql(DELETE_OLD).param("cutoff", cutoff).param("batch", BATCH).update();
			total += deleted;
		}
		while (deleted == BATCH);
		this.removed.increment(total);
		if (total > 0) {
			logger.info("Deleted {} coupon events older than {}", total, this.retention);
		}
		return total;
	}

}
