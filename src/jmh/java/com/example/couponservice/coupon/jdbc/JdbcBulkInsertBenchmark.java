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
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

import com.example.couponservice.coupon.CodeGenerator;
import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.support.EmbeddedPostgresSupport;

import tools.jackson.databind.json.JsonMapper;

/**
 * The largest bulk request (10,000 coupons) through the PostgreSQL store's
 * {@code insertAll}, on an embedded PostgreSQL: for comparing insert strategies. Run with
 * {@code ./mvnw -o -Pjmh test-compile exec:exec -Dbench.args=JdbcBulkInsert}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 8)
@Fork(1)
public class JdbcBulkInsertBenchmark {

	private static final int COUPONS = 10_000;

	private final CodeGenerator generator = new CodeGenerator(new SecureRandom());

	private EmbeddedPostgresSupport postgres;

	private HikariDataSource dataSource;

	private JdbcClient jdbc;

	private JdbcCouponStore store;

	private List<Coupon> batch;

	@Setup(Level.Trial)
	public void startDatabase() {
		this.postgres = EmbeddedPostgresSupport.startDedicated();
		String database = this.postgres.createDatabase();
		Flyway.configure().dataSource(this.postgres.dataSource(database)).load().migrate();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(this.postgres.jdbcUrl(database));
		config.setUsername(EmbeddedPostgresSupport.USER);
		this.dataSource = new HikariDataSource(config);
		this.jdbc = JdbcClient.create(this.dataSource);
		this.store = new JdbcCouponStore(this.jdbc, new JdbcTransactionManager(this.dataSource),
				JsonMapper.builder().build(), 100);
	}

	/** An empty table and a fresh batch, as one bulk request makes them. */
	@Setup(Level.Iteration)
	public void freshBatch() {
		this.jdbc.sql("TRUNCATE coupon").update();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Set<String> codes = new LinkedHashSet<>();
		while (codes.size() < COUPONS) {
			codes.addAll(Arrays.asList(this.generator.next(COUPONS - codes.size())));
		}
		this.batch = new ArrayList<>(COUPONS);
		codes.forEach((code) -> this.batch
			.add(Coupon.fresh(code, now, now.plus(Duration.ofDays(30)), "bulk", Map.of("channel", "newsletter"))));
	}

	@Benchmark
	public List<String> insertAll() {
		List<String> taken = this.store.insertAll(this.batch);
		if (!taken.isEmpty()) {
			throw new IllegalStateException(taken.size() + " codes were taken in an empty table");
		}
		return taken;
	}

	@TearDown(Level.Trial)
	public void stopDatabase() {
		this.dataSource.close();
		this.postgres.close();
	}

}
