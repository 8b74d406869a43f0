package com.example.couponservice.coupon.jdbc;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

import com.example.couponservice.coupon.CodeGenerator;
import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.support.EmbeddedPostgresSupport;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores the largest bulk request (10,000 coupons) through {@code insertAll} a few times
 * and logs how long each took, for comparing insert strategies. Only the result is
 * asserted, never the time: run it alone with
 * {@code ./mvnw -o -q test -Dtest=JdbcCouponStoreBulkInsertTest} and read the log.
 */
class JdbcCouponStoreBulkInsertTest {

	private static final Logger logger = LoggerFactory.getLogger(JdbcCouponStoreBulkInsertTest.class);

	private static final int COUPONS = 10_000;

	private static final int ROUNDS = 6;

	@Test
	void insertAllOfTenThousandCouponsStoresThemAll() {
		EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.shared();
		String database = postgres.createDatabase();
		Flyway.configure().dataSource(postgres.dataSource(database)).load().migrate();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(postgres.jdbcUrl(database));
		config.setUsername(EmbeddedPostgresSupport.USER);
		try (HikariDataSource dataSource = new HikariDataSource(config)) {
			JdbcClient jdbc = JdbcClient.create(dataSource);
			JdbcCouponStore store = new JdbcCouponStore(jdbc, new JdbcTransactionManager(dataSource),
					JsonMapper.builder().build());
			CodeGenerator generator = new CodeGenerator(new SecureRandom());
			long[] millis = new long[ROUNDS];
			for (int round = 0; round < ROUNDS; round++) {
				jdbc.sql("TRUNCATE coupon").update();
				List<Coupon> batch = batch(generator);

				long start = System.nanoTime();
				List<String> taken = store.insertAll(batch);
				millis[round] = Duration.ofNanos(System.nanoTime() - start).toMillis();

				assertThat(taken).isEmpty();
				assertThat(jdbc.sql("SELECT count(*) FROM coupon").query(Long.class).single()).isEqualTo(COUPONS);
				logger.info("insertAll of {} coupons, round {}: {} ms", COUPONS, round + 1, millis[round]);
			}
			long[] warm = Arrays.copyOfRange(millis, 1, ROUNDS);
			Arrays.sort(warm);
			logger.info("insertAll of {} coupons: first {} ms, then median {} ms, best {} ms", COUPONS, millis[0],
					warm[warm.length / 2], warm[0]);
		}
	}

	/** Coupons as one bulk request makes them: fresh codes, one shared template. */
	private static List<Coupon> batch(CodeGenerator generator) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Instant expiresAt = now.plus(Duration.ofDays(30));
		Map<String, String> metadata = Map.of("channel", "newsletter");
		Set<String> codes = new LinkedHashSet<>();
		while (codes.size() < COUPONS) {
			codes.addAll(Arrays.asList(generator.next(COUPONS - codes.size())));
		}
		List<Coupon> batch = new ArrayList<>(COUPONS);
		codes.forEach((code) -> batch.add(Coupon.fresh(code, now, expiresAt, "bulk", metadata)));
		return batch;
	}

}
