package com.example.couponservice.coupon.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.couponservice.coupon.Attempt;
import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponEvent;
import com.example.couponservice.coupon.CouponQuery;
import com.example.couponservice.coupon.CouponStatus;
import com.example.couponservice.coupon.CouponStore;
import com.example.couponservice.coupon.RedeemOutcome;
import com.example.couponservice.coupon.ReverseOutcome;
import com.example.couponservice.coupon.StoreResult;
import com.example.couponservice.coupon.ValidationOutcome;
import com.example.couponservice.coupon.VoidOutcome;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PostgreSQL store (profile {@code postgres}): one row per coupon in the
 * {@code coupon} table, and its events after {@code GENERATED} in {@code coupon_event}
 * ({@code db/migration}).
 * <p>
 * Every operation on a coupon is one statement, one round trip, whatever its outcome: it
 * locks the row ({@code FOR UPDATE}), decides the outcome with the rules of
 * {@link Coupon} written in SQL, updates the row when the outcome changes it, appends the
 * event and trims the oldest ones beyond the limit, and returns the row with the outcome.
 * Concurrent operations on one code are serialised by the row lock, and each decides on
 * the row as the previous one left it. No row: no coupon, no event.
 * <p>
 * There is no cap on the number of coupons here
 * ({@link com.example.couponservice.coupon.StoreFullException} is for the in-memory
 * store): the database's disk is the limit, and running out of it is a
 * {@link DataAccessException} like any other database failure.
 * <p>
 * Every database failure is a {@link DataAccessException}, including the transaction
 * manager's own "cannot open a connection" and "cannot commit", so the web layer can
 * answer them all with one 503.
 */
class JdbcCouponStore implements CouponStore {

	/**
	 * Rows per {@code INSERT} of {@link #insertAll}. One statement per chunk keeps each
	 * statement short (well inside the driver's socket timeout) and its arrays small,
	 * while 10,000 coupons still take only 10 round trips.
	 */
	static final int INSERT_CHUNK = 1000;

	/** Rows fetched at a time by an export, which streams in constant memory. */
	static final int EXPORT_FETCH = 1000;

	private static final String COLUMNS = "code, status, created_at, expires_at, redeemed_at, voided_at, reference, "
			+ "campaign, metadata::text AS metadata, customer_id, customer_bound, reversed_at, reversal_reference";

	private static final String INSERT = """
			INSERT INTO coupon (code, status, created_at, expires_at, campaign, metadata, customer_id, customer_bound)
			VALUES (:code, 'UNUSED', :createdAt, :expiresAt, :campaign, CAST(:metadata AS jsonb), :customer,
				CAST(:customer AS varchar) IS NOT NULL)
			ON CONFLICT (code) DO NOTHING
			""";

	/**
	 * Arrays instead of a JDBC batch: one statement per chunk, with the codes that went
	 * in coming back, measured about four times faster than {@code batchUpdate} for
	 * 10,000 rows. Timestamps travel as {@link #TIMESTAMPTZ} text in UTC, so no time zone
	 * of the JVM or the session is involved.
	 */
	private static final String INSERT_ALL = """
			INSERT INTO coupon (code, status, created_at, expires_at, campaign, metadata, customer_id, customer_bound)
			SELECT code, 'UNUSED', created_at, expires_at, campaign, CAST(metadata AS jsonb), customer_id,
				customer_id IS NOT NULL
			FROM unnest(CAST(:codes AS text[]), CAST(:createdAt AS timestamptz[]), CAST(:expiresAt AS timestamptz[]),
					CAST(:campaigns AS text[]), CAST(:metadata AS text[]), CAST(:customers AS text[]))
				AS batch (code, created_at, expires_at, campaign, metadata, customer_id)
			ON CONFLICT (code) DO NOTHING
			RETURNING code
			""";

	private static final String FIND = "SELECT " + COLUMNS + " FROM coupon WHERE code = :code";

	/**
	 * The end of every single-statement operation: drop the events beyond the latest
	 * {@code keep} (no index probe at all while a coupon has fewer, as nearly all do),
	 * and return the outcome with the row.
	 */
	private static final String TRIM_AND_RETURN = """
			, trimmed AS (
				DELETE FROM coupon_event e USING changed c
				WHERE c.event_seq > CAST(:keep AS integer) AND e.code = c.code
					AND e.seq <= c.event_seq - CAST(:keep AS integer)
			)
			SELECT last_outcome AS outcome, code, status, created_at, expires_at, redeemed_at, voided_at, reference,
				campaign, metadata::text AS metadata, customer_id, customer_bound, reversed_at, reversal_reference
			FROM changed
			""";

	/**
	 * The outcome {@code Coupon.redeemOutcome} decides, in SQL on the row being updated:
	 * customer first, then void, used (a repeat by the same reference or none both
	 * times), expired.
	 */
	private static final String REDEEM_OUTCOME = """
			(CASE WHEN customer_bound AND customer_id IS DISTINCT FROM :customer THEN 'CUSTOMER_MISMATCH'
				WHEN status = 'VOID' THEN 'VOID'
				WHEN status = 'USED' AND reference IS NOT DISTINCT FROM :reference THEN 'REPEATED'
				WHEN status = 'USED' THEN 'ALREADY_REDEEMED'
				WHEN expires_at <= :now THEN 'EXPIRED'
				ELSE 'REDEEMED' END)""";

	/**
	 * Every redemption attempt in one {@code UPDATE}: its {@code SET} expressions all see
	 * the row as the previous operation left it (the row lock serialises operations on
	 * one code, and PostgreSQL re-reads a row changed meanwhile before applying them), so
	 * the outcome and the change are decided on the same version. The outcome is kept in
	 * {@code last_outcome}, for {@code RETURNING}.
	 */
	private static final String REDEEM = """
			WITH changed AS (
				UPDATE coupon SET
					last_outcome = %1$s,
					status = CASE WHEN %1$s = 'REDEEMED' THEN 'USED' ELSE status END,
					redeemed_at = CASE WHEN %1$s = 'REDEEMED' THEN :now ELSE redeemed_at END,
					reference = CASE WHEN %1$s = 'REDEEMED' THEN :reference ELSE reference END,
					customer_id = CASE WHEN %1$s = 'REDEEMED' AND NOT customer_bound THEN :customer
						ELSE customer_id END,
					reversed_at = CASE WHEN %1$s = 'REDEEMED' THEN NULL ELSE reversed_at END,
					reversal_reference = CASE WHEN %1$s = 'REDEEMED' THEN NULL ELSE reversal_reference END,
					event_seq = event_seq + 1
				WHERE code = :code
				RETURNING *
			), event AS (
				INSERT INTO coupon_event (code, seq, kind, at, outcome, reference, customer_id, client)
				SELECT code, event_seq, CASE last_outcome WHEN 'REDEEMED' THEN 'REDEEMED'
						WHEN 'REPEATED' THEN 'REDEMPTION_REPEATED' ELSE 'REDEMPTION_REFUSED' END,
					CAST(:now AS timestamptz), CASE WHEN last_outcome IN ('REDEEMED', 'REPEATED') THEN NULL
						ELSE lower(last_outcome) END,
					CAST(:reference AS varchar), CAST(:customer AS varchar), CAST(:client AS varchar)
				FROM changed
			)%2$s""".formatted(REDEEM_OUTCOME, TRIM_AND_RETURN);

	/** {@code Coupon.validationOutcome}: nothing changes but the history. */
	private static final String VALIDATE = """
			WITH changed AS (
				UPDATE coupon SET
					last_outcome = (CASE WHEN customer_bound AND customer_id IS DISTINCT FROM :customer
							THEN 'CUSTOMER_MISMATCH'
						WHEN status = 'VOID' THEN 'VOID'
						WHEN status = 'USED' THEN 'USED'
						WHEN expires_at <= :now THEN 'EXPIRED'
						ELSE 'VALID' END),
					event_seq = event_seq + 1
				WHERE code = :code
				RETURNING *
			), event AS (
				INSERT INTO coupon_event (code, seq, kind, at, outcome, customer_id, client)
				SELECT code, event_seq, 'VALIDATED', CAST(:now AS timestamptz), lower(last_outcome),
					CAST(:customer AS varchar), CAST(:client AS varchar)
				FROM changed
			)%s""".formatted(TRIM_AND_RETURN);

	/**
	 * {@code Coupon.voidOutcome}; only {@code VOIDED} changes the coupon and has an
	 * event.
	 */
	private static final String VOID_OUTCOME = """
			(CASE status WHEN 'VOID' THEN 'ALREADY_VOID' WHEN 'USED' THEN 'USED' ELSE 'VOIDED' END)""";

	private static final String VOID = """
			WITH changed AS (
				UPDATE coupon SET
					last_outcome = %1$s,
					status = CASE WHEN %1$s = 'VOIDED' THEN 'VOID' ELSE status END,
					voided_at = CASE WHEN %1$s = 'VOIDED' THEN :now ELSE voided_at END,
					reversed_at = CASE WHEN %1$s = 'VOIDED' THEN NULL ELSE reversed_at END,
					reversal_reference = CASE WHEN %1$s = 'VOIDED' THEN NULL ELSE reversal_reference END,
					event_seq = event_seq + CASE WHEN %1$s = 'VOIDED' THEN 1 ELSE 0 END
				WHERE code = :code
				RETURNING *
			), event AS (
				INSERT INTO coupon_event (code, seq, kind, at, client)
				SELECT code, event_seq, 'VOIDED', CAST(:now AS timestamptz), CAST(:client AS varchar)
				FROM changed WHERE last_outcome = 'VOIDED'
			)%2$s""".formatted(VOID_OUTCOME, TRIM_AND_RETURN);

	/**
	 * {@code Coupon.reverseOutcome}; only {@code REVERSED} changes the coupon: unused
	 * again, without redemption, reference or (unbound) customer, the reversal kept.
	 */
	private static final String REVERSE_OUTCOME = """
			(CASE WHEN status = 'VOID' THEN 'VOID'
				WHEN status = 'USED' AND reference IS NOT DISTINCT FROM :reference THEN 'REVERSED'
				WHEN status = 'USED' THEN 'REFERENCE_MISMATCH'
				WHEN reversed_at IS NOT NULL AND reversal_reference IS NOT DISTINCT FROM :reference
					THEN 'ALREADY_REVERSED'
				ELSE 'NOT_REDEEMED' END)""";

	private static final String REVERSE = """
			WITH changed AS (
				UPDATE coupon SET
					last_outcome = %1$s,
					status = CASE WHEN %1$s = 'REVERSED' THEN 'UNUSED' ELSE status END,
					redeemed_at = CASE WHEN %1$s = 'REVERSED' THEN NULL ELSE redeemed_at END,
					reference = CASE WHEN %1$s = 'REVERSED' THEN NULL ELSE reference END,
					customer_id = CASE WHEN %1$s = 'REVERSED' AND NOT customer_bound THEN NULL
						ELSE customer_id END,
					reversed_at = CASE WHEN %1$s = 'REVERSED' THEN :now ELSE reversed_at END,
					reversal_reference = CASE WHEN %1$s = 'REVERSED' THEN CAST(:reference AS varchar)
						ELSE reversal_reference END,
					event_seq = event_seq + CASE WHEN %1$s = 'REVERSED' THEN 1 ELSE 0 END
				WHERE code = :code
				RETURNING *
			), event AS (
				INSERT INTO coupon_event (code, seq, kind, at, reference, client, reason)
				SELECT code, event_seq, 'REVERSED', CAST(:now AS timestamptz), CAST(:reference AS varchar),
					CAST(:client AS varchar), CAST(:reason AS varchar)
				FROM changed WHERE last_outcome = 'REVERSED'
			)%2$s""".formatted(REVERSE_OUTCOME, TRIM_AND_RETURN);

	/** The coupon (for its GENERATED event) and its other events, in order. */
	private static final String EVENTS = """
			SELECT c.created_at, c.customer_id AS coupon_customer, c.customer_bound, e.kind, e.at, e.outcome,
				e.reference, e.customer_id, e.client, e.reason
			FROM coupon c LEFT JOIN coupon_event e ON e.code = c.code
			WHERE c.code = :code ORDER BY e.seq
			""";

	/**
	 * The status a lookup reports: EXPIRED is computed, exactly as Coupon.statusAt does.
	 */
	private static final String STATUS_AT_NOW = """
			CASE WHEN status = 'UNUSED' AND expires_at <= :now THEN 'EXPIRED' ELSE status END""";

	private static final String COUNT_ALL = "SELECT " + STATUS_AT_NOW + " AS status, count(*) AS count "
			+ "FROM coupon GROUP BY 1";

	private static final String COUNT_CAMPAIGN = "SELECT " + STATUS_AT_NOW + " AS status, count(*) AS count "
			+ "FROM coupon WHERE campaign = :campaign GROUP BY 1";

	/**
	 * ISO-8601 in UTC as PostgreSQL reads it. Unlike {@link Instant#toString()} it writes
	 * years after 9999 without a {@code +}, which PostgreSQL would reject.
	 */
	private static final DateTimeFormatter TIMESTAMPTZ = new DateTimeFormatterBuilder()
		.appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL)
		.appendLiteral('-')
		.appendValue(ChronoField.MONTH_OF_YEAR, 2)
		.appendLiteral('-')
		.appendValue(ChronoField.DAY_OF_MONTH, 2)
		.appendLiteral('T')
		.append(DateTimeFormatter.ISO_LOCAL_TIME)
		.appendLiteral('Z')
		.toFormatter(Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final TransactionTemplate readOnly;

	private final JsonMapper json;

	/** Events kept besides GENERATED: the latest ones. */
	private final int keep;

	JdbcCouponStore(JdbcClient jdbc, PlatformTransactionManager transactionManager, JsonMapper json,
			int maxEventsPerCoupon) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.readOnly = new TransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
		this.json = json;
		this.keep = maxEventsPerCoupon - 1;
	}

	@Override
	public boolean insert(Coupon coupon) {
		return this.jdbc.sql(INSERT)
			.param("code", coupon.code())
			.param("createdAt", timestamp(coupon.createdAt()))
			.param("expiresAt", timestamp(coupon.expiresAt()))
			.param("campaign", coupon.campaign())
			.param("metadata", metadataJson(coupon.metadata()))
			.param("customer", coupon.customerBound() ? coupon.customerId() : null)
			.update() == 1;
	}

	/**
	 * Inserts chunk by chunk in one transaction. A taken code does not stop the inserts,
	 * so the caller learns every taken code of the batch at once; then the transaction is
	 * rolled back and nothing of the batch stays.
	 */
	@Override
	public List<String> insertAll(List<Coupon> coupons) {
		if (coupons.isEmpty()) {
			return List.of();
		}
		List<String> taken = new ArrayList<>();
		inTransaction(() -> this.transactions.executeWithoutResult((status) -> {
			List<String> notInserted = new ArrayList<>();
			for (int from = 0; from < coupons.size(); from += INSERT_CHUNK) {
				notInserted.addAll(insertChunk(coupons.subList(from, Math.min(from + INSERT_CHUNK, coupons.size()))));
			}
			if (!notInserted.isEmpty()) {
				status.setRollbackOnly();
			}
			taken.addAll(notInserted);
		}));
		return taken;
	}

	/**
	 * Run {@code work}, which opens a transaction; the transaction manager's own failures
	 * (cannot open a connection, cannot commit) are not {@link DataAccessException}s, so
	 * without this an unreachable database would be a 500 here and a 503 everywhere else.
	 */
	private static void inTransaction(Runnable work) {
		try {
			work.run();
		}
		catch (CannotCreateTransactionException | TransactionSystemException ex) {
			throw new DataAccessResourceFailureException("the coupon database is unavailable: " + ex.getMessage(), ex);
		}
	}

	/** Insert one chunk; the codes that did not go in, in batch order. */
	private List<String> insertChunk(List<Coupon> chunk) {
		int size = chunk.size();
		String[] codes = new String[size];
		String[] createdAt = new String[size];
		@Nullable String[] expiresAt = new String[size];
		@Nullable String[] campaigns = new String[size];
		String[] metadata = new String[size];
		@Nullable String[] customers = new String[size];
		for (int i = 0; i < size; i++) {
			Coupon coupon = chunk.get(i);
			codes[i] = coupon.code();
			createdAt[i] = TIMESTAMPTZ.format(coupon.createdAt());
			expiresAt[i] = (coupon.expiresAt() != null) ? TIMESTAMPTZ.format(coupon.expiresAt()) : null;
			campaigns[i] = coupon.campaign();
			metadata[i] = metadataJson(coupon.metadata());
			customers[i] = coupon.customerBound() ? coupon.customerId() : null;
		}
		List<String> inserted = this.jdbc.sql(INSERT_ALL)
			.param("codes", codes)
			.param("createdAt", createdAt)
			.param("expiresAt", expiresAt)
			.param("campaigns", campaigns)
			.param("metadata", metadata)
			.param("customers", customers)
			.query(String.class)
			.list();
		if (inserted.size() == size) {
			return List.of();
		}
		// A code comes back once per row it inserted, so a code given twice in the
		// batch counts as taken the second time, as in the in-memory store.
		Map<String, Integer> returned = new HashMap<>();
		inserted.forEach((code) -> returned.merge(code, 1, Integer::sum));
		List<String> taken = new ArrayList<>();
		for (String code : codes) {
			if (returned.merge(code, -1, Integer::sum) < 0) {
				taken.add(code);
			}
		}
		return taken;
	}

	@Override
	public Optional<Coupon> find(String code) {
		return this.jdbc.sql(FIND).param("code", code).query(this::toCoupon).optional();
	}

	@Override
	public StoreResult<RedeemOutcome> redeem(String code, Attempt attempt) {
		return step(REDEEM, code, attempt, null, RedeemOutcome.class, RedeemOutcome.NOT_FOUND);
	}

	@Override
	public StoreResult<ValidationOutcome> validate(String code, Attempt attempt) {
		return step(VALIDATE, code, attempt, null, ValidationOutcome.class, ValidationOutcome.NOT_FOUND);
	}

	@Override
	public StoreResult<VoidOutcome> voidCoupon(String code, Attempt attempt) {
		return step(VOID, code, attempt, null, VoidOutcome.class, VoidOutcome.NOT_FOUND);
	}

	@Override
	public StoreResult<ReverseOutcome> reverse(String code, Attempt attempt, @Nullable String reason) {
		return step(REVERSE, code, attempt, reason, ReverseOutcome.class, ReverseOutcome.NOT_FOUND);
	}

	/** Run one of the single-statement operations: the outcome and the row it left. */
	private <O extends Enum<O>> StoreResult<O> step(String sql, String code, Attempt attempt, @Nullable String reason,
			Class<O> outcomes, O notFound) {
		return this.jdbc.sql(sql)
			.param("code", code)
			.param("now", timestamp(attempt.now()))
			.param("reference", attempt.reference())
			.param("customer", attempt.customerId())
			.param("client", attempt.client())
			.param("reason", reason)
			.param("keep", this.keep)
			.query((rs, row) -> new StoreResult<>(Enum.valueOf(outcomes, rs.getString("outcome")), toCoupon(rs, row)))
			.optional()
			.orElseGet(() -> new StoreResult<>(notFound, null));
	}

	@Override
	public Optional<List<CouponEvent>> events(String code) {
		List<CouponEvent> events = new ArrayList<>();
		this.jdbc.sql(EVENTS).param("code", code).query((rs) -> {
			if (events.isEmpty()) {
				String customer = rs.getBoolean("customer_bound") ? rs.getString("coupon_customer") : null;
				events.add(new CouponEvent(CouponEvent.Kind.GENERATED,
						Objects.requireNonNull(instant(rs, "created_at")), null, null, customer, null, null));
			}
			String kind = rs.getString("kind");
			if (kind != null) {
				events.add(new CouponEvent(CouponEvent.Kind.valueOf(kind), Objects.requireNonNull(instant(rs, "at")),
						rs.getString("outcome"), rs.getString("reference"), rs.getString("customer_id"),
						rs.getString("client"), rs.getString("reason")));
			}
		});
		return events.isEmpty() ? Optional.empty() : Optional.of(events);
	}

	@Override
	public List<Coupon> list(CouponQuery query, @Nullable String after, int limit, Instant now) {
		Filter filter = Filter.of(query, after, now);
		return filter.bind(this.jdbc.sql(filter.sql + " ORDER BY code LIMIT :limit"))
			.param("limit", limit)
			.query(this::toCoupon)
			.list();
	}

	/**
	 * Streams the rows in a read-only transaction, {@value #EXPORT_FETCH} at a time
	 * (PostgreSQL's driver only streams inside a transaction), so memory stays constant.
	 */
	@Override
	public void export(CouponQuery query, Instant now, Consumer<Coupon> sink) {
		Filter filter = Filter.of(query, null, now);
		RowCallbackHandler each = (rs) -> sink.accept(toCoupon(rs, 0));
		inTransaction(() -> this.readOnly.executeWithoutResult(
				(status) -> filter.bind(this.jdbc.sql(filter.sql).withFetchSize(EXPORT_FETCH)).query(each)));
	}

	/**
	 * The {@code WHERE} of a listing, with only the filters given, so that the planner
	 * can pick the index of each (campaign, customer, status, or the primary key).
	 */
	record Filter(String sql, Map<String, Object> params) {

		static Filter of(CouponQuery query, @Nullable String after, Instant now) {
			StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM coupon WHERE true");
			Map<String, Object> params = new HashMap<>();
			if (after != null) {
				sql.append(" AND code > :after");
				params.put("after", after);
			}
			if (query.campaign() != null) {
				sql.append(" AND campaign = :campaign");
				params.put("campaign", query.campaign());
			}
			if (query.customerId() != null) {
				sql.append(" AND customer_id = :customer");
				params.put("customer", query.customerId());
			}
			if (query.status() != null) {
				sql.append(switch (query.status()) {
					case UNUSED -> " AND status = 'UNUSED' AND (expires_at IS NULL OR expires_at > :now)";
					case EXPIRED -> " AND status = 'UNUSED' AND expires_at <= :now";
					case USED -> " AND status = 'USED'";
					case VOID -> " AND status = 'VOID'";
				});
				params.put("now", Objects.requireNonNull(timestamp(now)));
			}
			return new Filter(sql.toString(), params);
		}

		JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
			return statement.params(this.params);
		}

	}

	@Override
	public Map<CouponStatus, Long> countByStatus(@Nullable String campaign, Instant now) {
		Map<CouponStatus, Long> counts = new EnumMap<>(CouponStatus.class);
		for (CouponStatus status : CouponStatus.values()) {
			counts.put(status, 0L);
		}
		JdbcClient.StatementSpec count = (campaign != null) ? this.jdbc.sql(COUNT_CAMPAIGN).param("campaign", campaign)
				: this.jdbc.sql(COUNT_ALL);
		count.param("now", timestamp(now)).query((rs) -> {
			counts.put(CouponStatus.valueOf(rs.getString("status")), rs.getLong("count"));
		});
		return counts;
	}

	private Coupon toCoupon(ResultSet rs, int row) throws SQLException {
		return new Coupon(rs.getString("code"), CouponStatus.valueOf(rs.getString("status")),
				Objects.requireNonNull(instant(rs, "created_at")), instant(rs, "expires_at"),
				instant(rs, "redeemed_at"), instant(rs, "voided_at"), rs.getString("reference"),
				rs.getString("campaign"), this.json.readValue(rs.getString("metadata"), METADATA),
				rs.getString("customer_id"), rs.getBoolean("customer_bound"), instant(rs, "reversed_at"),
				rs.getString("reversal_reference"));
	}

	private String metadataJson(Map<String, String> metadata) {
		return metadata.isEmpty() ? "{}" : this.json.writeValueAsString(metadata);
	}

	private static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
