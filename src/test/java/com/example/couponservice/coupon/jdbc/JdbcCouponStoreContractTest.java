package com.example.couponservice.coupon.jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponStore;
import com.example.couponservice.coupon.CouponStoreContractTest;
import com.example.couponservice.support.EmbeddedPostgresSupport;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The PostgreSQL store against the store contract, on a real server with the real
 * migration, plus the schema's own checks that back the store up.
 */
class JdbcCouponStoreContractTest extends CouponStoreContractTest {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void migrateFreshDatabase() {
		EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.shared();
		String database = postgres.createDatabase();
		Flyway.configure().dataSource(postgres.dataSource(database)).load().migrate();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(postgres.jdbcUrl(database));
		config.setUsername(EmbeddedPostgresSupport.USER);
		config.setMaximumPoolSize(16);
		dataSource = new HikariDataSource(config);
	}

	@AfterAll
	static void closePool() {
		dataSource.close();
	}

	@Override
	protected CouponStore createStore() {
		JdbcClient jdbc = JdbcClient.create(dataSource);
		jdbc.sql("TRUNCATE coupon").update();
		return new JdbcCouponStore(jdbc, new JdbcTransactionManager(dataSource), JsonMapper.builder().build());
	}

	@Test
	void schemaRejectsAMalformedCode() {
		CouponStore store = createStore();

		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> store.insert(Coupon.fresh("ABCD234I", NOW, null, null, Map.of())));
	}

	@Test
	void schemaRejectsAUsedCouponWithoutRedemptionTime() {
		CouponStore store = createStore();
		store.insert(Coupon.fresh("ABCD2345", NOW, null, null, Map.of()));

		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> JdbcClient.create(dataSource).sql("UPDATE coupon SET status = 'USED'").update());
	}

	@Test
	void schemaRejectsAReferenceOnAnUnusedCoupon() {
		CouponStore store = createStore();
		store.insert(Coupon.fresh("ABCD2345", NOW, null, null, Map.of()));

		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> JdbcClient.create(dataSource).sql("UPDATE coupon SET reference = 'order-1'").update());
	}

	@Test
	void insertAndInsertAllStoreTheExactInstants() {
		CouponStore store = createStore();
		Instant created = Instant.parse("2031-03-30T01:30:00.001Z");
		Instant expires = Instant.parse("2031-10-26T01:30:59.999Z");
		store.insert(Coupon.fresh("ABCD2345", created, expires, null, Map.of()));
		store.insertAll(List.of(Coupon.fresh("ABCD2346", created, expires, null, Map.of())));

		List<Boolean> exact = JdbcClient.create(dataSource)
			.sql("SELECT created_at = CAST('2031-03-30 01:30:00.001+00' AS timestamptz) "
					+ "AND expires_at = CAST('2031-10-26 01:30:59.999+00' AS timestamptz) FROM coupon")
			.query(Boolean.class)
			.list();

		assertThat(exact).containsExactly(true, true);
	}

}
