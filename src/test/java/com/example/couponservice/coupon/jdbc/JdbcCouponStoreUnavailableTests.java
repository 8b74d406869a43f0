package com.example.couponservice.coupon.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

import com.example.couponservice.coupon.Attempt;
import com.example.couponservice.coupon.Coupon;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * With no database to talk to, every operation of the store fails with a
 * {@link DataAccessException}, the one type the web layer answers with 503; the
 * transaction of {@code insertAll} must not leak Spring's
 * {@code CannotCreateTransactionException}, which is not one.
 */
class JdbcCouponStoreUnavailableTests {

	private static final Instant NOW = Instant.parse("2031-05-17T09:30:12.345Z");

	private static HikariDataSource dataSource;

	private static JdbcCouponStore store;

	@BeforeAll
	static void storeWithoutDatabase() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:postgresql://localhost:" + closedPort + "/coupons");
		config.setConnectionTimeout(250);
		config.setInitializationFailTimeout(-1);
		dataSource = new HikariDataSource(config);
		store = new JdbcCouponStore(JdbcClient.create(dataSource), new JdbcTransactionManager(dataSource),
				JsonMapper.builder().build());
	}

	@AfterAll
	static void closePool() {
		dataSource.close();
	}

	@Test
	void insertFailsWithDataAccessException() {
		assertFailsWithDataAccessException(() -> store.insert(coupon()));
	}

	@Test
	void insertAllFailsWithDataAccessException() {
		assertFailsWithDataAccessException(() -> store.insertAll(List.of(coupon())));
	}

	@Test
	void findFailsWithDataAccessException() {
		assertFailsWithDataAccessException(() -> store.find("ABCD2345"));
	}

	@Test
	void redeemFailsWithDataAccessException() {
		assertFailsWithDataAccessException(() -> store.redeem("ABCD2345", new Attempt(NOW, "order-1", null, null)));
	}

	@Test
	void voidFailsWithDataAccessException() {
		assertFailsWithDataAccessException(() -> store.voidCoupon("ABCD2345", new Attempt(NOW, null, null, null)));
	}

	@Test
	void countByStatusFailsWithDataAccessException() {
		assertFailsWithDataAccessException(() -> store.countByStatus("summer", NOW));
	}

	private static Coupon coupon() {
		return Coupon.fresh("ABCD2345", NOW, null, null, Map.of());
	}

	private static void assertFailsWithDataAccessException(Executable operation) {
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(operation::execute);
	}

}
