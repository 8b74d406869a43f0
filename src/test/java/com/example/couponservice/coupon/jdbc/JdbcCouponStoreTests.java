package com.example.couponservice.coupon.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.PlatformTransactionManager;

import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponQuery;
import com.example.couponservice.coupon.CouponStatus;
import com.example.couponservice.coupon.CouponStore;
import com.example.couponservice.coupon.CouponStoreContractTests;
import com.example.couponservice.support.EmbeddedPostgresJdbcTest;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The PostgreSQL store against the store contract, on a real server with the real
 * migration (a JDBC slice), plus the schema's own checks that back the store up.
 */
@EmbeddedPostgresJdbcTest
class JdbcCouponStoreTests extends CouponStoreContractTests {

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Autowired
	private DataSource dataSource;

	@Override
	protected CouponStore createStore() {
		this.jdbc.sql("TRUNCATE coupon, coupon_event").update();
		return new JdbcCouponStore(this.jdbc, this.transactionManager, JsonMapper.builder().build(), MAX_EVENTS);
	}

	/**
	 * With sequential scans priced out, the planner still picks one only where no index
	 * can serve the query: so every listing filter, and every page after a code, has an
	 * index.
	 */
	@ParameterizedTest
	@MethodSource("filteredListings")
	void everyListingFilterIsServedByAnIndex(CouponQuery query, @Nullable String after) throws SQLException {
		JdbcCouponStore.Filter filter = JdbcCouponStore.Filter.of(query, after, NOW);
		try (Connection connection = this.dataSource.getConnection()) {
			JdbcClient session = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			session.sql("SET enable_seqscan = off").update();
			String plan = String.join("\n",
					filter.bind(session.sql("EXPLAIN " + filter.sql() + " ORDER BY code LIMIT 100"))
						.query(String.class)
						.list());
			session.sql("RESET enable_seqscan").update();
			assertThat(plan).contains("Index").doesNotContain("Seq Scan");
		}
	}

	static Stream<Arguments> filteredListings() {
		return Stream
			.concat(Stream.of(CouponStatus.values()).map((status) -> new CouponQuery(null, status, null)),
					Stream.of(new CouponQuery("summer", null, null), new CouponQuery(null, null, "customer-7"),
							new CouponQuery("summer", CouponStatus.USED, null)))
			.flatMap((query) -> Stream.of(Arguments.of(query, null), Arguments.of(query, "M2345678")));
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
			.isThrownBy(() -> this.jdbc.sql("UPDATE coupon SET status = 'USED'").update());
	}

	@Test
	void schemaRejectsAReferenceOnAnUnusedCoupon() {
		CouponStore store = createStore();
		store.insert(Coupon.fresh("ABCD2345", NOW, null, null, Map.of()));

		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.sql("UPDATE coupon SET reference = 'order-1'").update());
	}

	@Test
	void insertAndInsertAllStoreTheExactInstants() {
		CouponStore store = createStore();
		Instant created = Instant.parse("2031-03-30T01:30:00.001Z");
		Instant expires = Instant.parse("2031-10-26T01:30:59.999Z");
		store.insert(Coupon.fresh("ABCD2345", created, expires, null, Map.of()));
		store.insertAll(List.of(Coupon.fresh("ABCD2346", created, expires, null, Map.of())));

		List<Boolean> exact = this.jdbc
			.sql("SELECT created_at = CAST('2031-03-30 01:30:00.001+00' AS timestamptz) "
					+ "AND expires_at = CAST('2031-10-26 01:30:59.999+00' AS timestamptz) FROM coupon")
			.query(Boolean.class)
			.list();

		assertThat(exact).containsExactly(true, true);
	}

}
