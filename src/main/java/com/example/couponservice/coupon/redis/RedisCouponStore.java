package com.example.couponservice.coupon.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;

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

/**
 * The Redis Cluster store (profile {@code redis}). Keys and shards are laid out by
 * {@link CouponKeys}; every operation on one coupon is one Lua script on the slot of its
 * shard ({@code change.lua}, {@code insert.lua}), which decides by the rules of
 * {@link Coupon}, changes the coupon, moves its index entries and counts and appends its
 * event, all or nothing. Code uniqueness is the key itself: a coupon is created only
 * where its key is absent, whichever instance asks.
 * <p>
 * After every change the store waits for {@code coupon.redis.min-replica-acks} replicas
 * ({@link ClusterScripts}); a change they do not confirm in time is a 503.
 * <p>
 * Bulk generation is all or nothing for the caller although its codes land on every
 * master; see {@link #insertAll} and the protocol in docs/design.md ("Bulk generation
 * across masters").
 * <p>
 * Listings, exports and counts read per-shard indexes and counters, never the keyspace: a
 * count is one small script per shard (1024, pipelined), a listing walks the shards in
 * code order, a few at a time, each from a script that filters on the server.
 */
public class RedisCouponStore implements CouponStore {

	private static final Logger logger = LoggerFactory.getLogger(RedisCouponStore.class);

	/** Coupons per bulk script: a script blocks its master while it runs. */
	static final int BULK_CHUNK = 500;

	/** Index entries one listing script looks at before it returns. */
	static final int LIST_BUDGET = 1000;

	/** Coupons per export script. */
	static final int EXPORT_PAGE = 200;

	/** Most shards a listing asks at once. */
	static final int LIST_WINDOW = 64;

	private static final String METADATA = "m:";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final LuaScript insert = LuaScript.load("insert");

	private final LuaScript commit = LuaScript.load("commit");

	private final LuaScript rollback = LuaScript.load("rollback");

	private final LuaScript change = LuaScript.load("change");

	private final LuaScript eventsScript = LuaScript.load("events");

	private final LuaScript listScript = LuaScript.load("list");

	private final LuaScript count = LuaScript.load("count");

	private final ClusterScripts scripts;

	private final CouponKeys keys;

	private final int maxEventsPerCoupon;

	private final Duration pendingTtl;

	/** Runs between the two phases of a bulk insert; tests kill a master there. */
	Runnable beforeCommit = () -> {
	};

	/**
	 * @param client the cluster client, for topology refreshes
	 * @param connection a cluster connection with string keys and values, left open
	 * @param properties the store's settings
	 * @param maxEventsPerCoupon events kept per coupon, its {@code GENERATED} event
	 * included (at least 2)
	 */
	public RedisCouponStore(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection,
			RedisCouponProperties properties, int maxEventsPerCoupon) {
		if (maxEventsPerCoupon < 2) {
			throw new IllegalArgumentException("maxEventsPerCoupon must be at least 2");
		}
		this.keys = new CouponKeys(properties.keyPrefix());
		this.maxEventsPerCoupon = maxEventsPerCoupon;
		this.pendingTtl = properties.pendingTtl();
		this.scripts = new ClusterScripts(client, connection, properties.minReplicaAcks(), properties.waitTimeout(),
				properties.writeConnections(), List.of(this.insert, this.commit, this.rollback, this.change,
						this.eventsScript, this.listScript, this.count));
	}

	/** Close the store's connections (see {@link RedisCouponStoreConfiguration}). */
	void close() {
		this.scripts.close();
	}

	/**
	 * Go on over another client and connection (see
	 * {@link RedisCouponStoreConfiguration}).
	 */
	void reconnect(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection) {
		this.scripts.use(client, connection);
	}

	// --- insert ----------------------------------------------------------------------

	@Override
	public boolean insert(Coupon coupon) {
		List<String> args = new ArrayList<>(List.of(this.keys.base(coupon.code()), "new", "", "0"));
		addFields(args, coupon);
		List<Object> taken = this.scripts.write(new ClusterScripts.Call(this.insert,
				new String[] { this.keys.coupon(coupon.code()) }, args.toArray(String[]::new)));
		return taken.isEmpty();
	}

	/**
	 * In two phases. First every coupon goes in invisible ("pending": readers and scripts
	 * treat it as absent), owned by the batch and expiring after
	 * {@code coupon.redis.pending-ttl}, one script per shard, all pipelined and
	 * replicated. A taken code or any failure deletes what the batch wrote. Otherwise a
	 * second round of scripts makes them visible (indexes, counts, no expiry); if one of
	 * those fails, the batch takes back what it committed, while unchanged, and the
	 * caller gets the failure. What a dead master holds of the batch stays pending and
	 * expires.
	 * <p>
	 * The batch is named by a digest of its coupons, so sending the same batch again (the
	 * caller's retry after a failover) takes over what the failed attempt left pending
	 * instead of colliding with it.
	 */
	@Override
	public List<String> insertAll(List<Coupon> coupons) {
		if (coupons.isEmpty()) {
			return List.of();
		}
		Set<String> seen = new HashSet<>();
		Set<Integer> repeats = new HashSet<>();
		Map<Integer, List<Coupon>> byShard = new TreeMap<>();
		for (int i = 0; i < coupons.size(); i++) {
			Coupon coupon = coupons.get(i);
			if (seen.add(coupon.code())) {
				byShard.computeIfAbsent(CouponKeys.shard(coupon.code()), (shard) -> new ArrayList<>()).add(coupon);
			}
			else {
				repeats.add(i);
			}
		}
		String batch = batchId(coupons);
		List<List<Coupon>> chunks = chunks(byShard);
		List<ClusterScripts.Outcome> reserved = this.scripts.write(reserveCalls(chunks, batch));
		Set<String> takenCodes = new HashSet<>();
		DataAccessException failure = null;
		for (ClusterScripts.Outcome outcome : reserved) {
			if (outcome.failure() != null) {
				failure = outcome.failure();
			}
			else {
				outcome.orThrow().forEach((code) -> takenCodes.add((String) code));
			}
		}
		if (failure != null) {
			undo(chunks, batch);
			throw failure;
		}
		if (!takenCodes.isEmpty() || !repeats.isEmpty()) {
			undo(chunks, batch);
			List<String> taken = new ArrayList<>();
			for (int i = 0; i < coupons.size(); i++) {
				if (repeats.contains(i) || takenCodes.contains(coupons.get(i).code())) {
					taken.add(coupons.get(i).code());
				}
			}
			return taken;
		}
		this.beforeCommit.run();
		List<ClusterScripts.Call> commits = new ArrayList<>();
		for (List<Coupon> chunk : chunks) {
			commits.add(batchCall(this.commit, chunk, batch));
		}
		for (ClusterScripts.Outcome outcome : this.scripts.write(commits)) {
			if (outcome.failure() != null) {
				failure = outcome.failure();
			}
			else if (!outcome.orThrow().isEmpty()) {
				failure = new DataAccessResourceFailureException(outcome.orThrow().size()
						+ " coupons of the batch were no longer pending when it was committed (expired, or lost with a master)");
			}
		}
		if (failure != null) {
			undo(chunks, batch);
			throw failure;
		}
		return List.of();
	}

	/** Take out what the batch wrote, as far as the masters answer. */
	private void undo(List<List<Coupon>> chunks, String batch) {
		List<ClusterScripts.Call> calls = new ArrayList<>();
		for (List<Coupon> chunk : chunks) {
			calls.add(batchCall(this.rollback, chunk, batch));
		}
		for (ClusterScripts.Outcome outcome : this.scripts.write(calls)) {
			if (outcome.failure() != null) {
				logger.warn("A failed bulk insert left coupons pending on a master that did not answer; "
						+ "they expire by themselves: {}", outcome.failure().getMessage());
			}
		}
	}

	private static List<List<Coupon>> chunks(Map<Integer, List<Coupon>> byShard) {
		List<List<Coupon>> chunks = new ArrayList<>();
		for (List<Coupon> shard : byShard.values()) {
			for (int from = 0; from < shard.size(); from += BULK_CHUNK) {
				chunks.add(shard.subList(from, Math.min(from + BULK_CHUNK, shard.size())));
			}
		}
		return chunks;
	}

	private List<ClusterScripts.Call> reserveCalls(List<List<Coupon>> chunks, String batch) {
		List<ClusterScripts.Call> calls = new ArrayList<>();
		for (List<Coupon> chunk : chunks) {
			String[] hashes = new String[chunk.size()];
			List<String> args = new ArrayList<>(List.of(this.keys.base(chunk.get(0).code()), "pending", batch,
					Long.toString(this.pendingTtl.toMillis())));
			for (int i = 0; i < chunk.size(); i++) {
				hashes[i] = this.keys.coupon(chunk.get(i).code());
				addFields(args, chunk.get(i));
			}
			calls.add(new ClusterScripts.Call(this.insert, hashes, args.toArray(String[]::new)));
		}
		return calls;
	}

	private ClusterScripts.Call batchCall(LuaScript script, List<Coupon> chunk, String batch) {
		String[] hashes = new String[chunk.size()];
		String[] args = new String[chunk.size() + 2];
		args[0] = this.keys.base(chunk.get(0).code());
		args[1] = batch;
		for (int i = 0; i < chunk.size(); i++) {
			hashes[i] = this.keys.coupon(chunk.get(i).code());
			args[i + 2] = chunk.get(i).code();
		}
		return new ClusterScripts.Call(script, hashes, args);
	}

	/** A digest of the batch: the same coupons in the same order give the same id. */
	private static String batchId(List<Coupon> coupons) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (Coupon coupon : coupons) {
				digest.update(coupon.toString().getBytes(StandardCharsets.UTF_8));
				digest.update((byte) 0);
			}
			return HexFormat.of().formatHex(digest.digest(), 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}

	/** The coupon's hash fields, as a count followed by names and values. */
	private static void addFields(List<String> args, Coupon coupon) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("s", coupon.status().name());
		fields.put("cr", millis(coupon.createdAt()));
		putIfPresent(fields, "ex", coupon.expiresAt());
		putIfPresent(fields, "ra", coupon.redeemedAt());
		putIfPresent(fields, "va", coupon.voidedAt());
		putIfPresent(fields, "ref", coupon.reference());
		putIfPresent(fields, "camp", coupon.campaign());
		putIfPresent(fields, "cu", coupon.customerId());
		if (coupon.customerBound()) {
			fields.put("cb", "1");
		}
		putIfPresent(fields, "rva", coupon.reversedAt());
		putIfPresent(fields, "rvr", coupon.reversalReference());
		coupon.metadata().forEach((key, value) -> fields.put(METADATA + key, value));
		args.add(coupon.code());
		args.add(Integer.toString(fields.size()));
		fields.forEach((name, value) -> {
			args.add(name);
			args.add(value);
		});
	}

	private static void putIfPresent(Map<String, String> fields, String name, @Nullable Object value) {
		if (value instanceof Instant instant) {
			fields.put(name, millis(instant));
		}
		else if (value != null) {
			fields.put(name, value.toString());
		}
	}

	private static String millis(Instant instant) {
		return Long.toString(instant.toEpochMilli());
	}

	// --- read one --------------------------------------------------------------------

	@Override
	public Optional<Coupon> find(String code) {
		Map<String, String> hash = this.scripts
			.await(this.scripts.connection().async().hgetall(this.keys.coupon(code)));
		if (hash.isEmpty() || hash.containsKey("pd")) {
			return Optional.empty();
		}
		return Optional.of(toCoupon(code, hash));
	}

	@Override
	public Optional<List<CouponEvent>> events(String code) {
		List<Object> reply = this.scripts.await(this.scripts.read(this.eventsScript,
				new String[] { this.keys.coupon(code), this.keys.events(code) }, this.keys.base(code)));
		if (reply.isEmpty()) {
			return Optional.empty();
		}
		Coupon coupon = toCoupon(code, fields(reply.get(0)));
		List<CouponEvent> events = new ArrayList<>();
		events.add(CouponEvent.generated(coupon));
		for (Object stored : (List<?>) reply.get(1)) {
			events.add(toEvent((String) stored));
		}
		return Optional.of(events);
	}

	// --- change one ------------------------------------------------------------------

	@Override
	public StoreResult<RedeemOutcome> redeem(String code, Attempt attempt) {
		return change(code, "redeem", attempt, null, RedeemOutcome.class);
	}

	@Override
	public StoreResult<ValidationOutcome> validate(String code, Attempt attempt) {
		return change(code, "validate", attempt, null, ValidationOutcome.class);
	}

	@Override
	public StoreResult<VoidOutcome> voidCoupon(String code, Attempt attempt) {
		return change(code, "void", attempt, null, VoidOutcome.class);
	}

	@Override
	public StoreResult<ReverseOutcome> reverse(String code, Attempt attempt, @Nullable String reason) {
		return change(code, "reverse", attempt, reason, ReverseOutcome.class);
	}

	private <O extends Enum<O>> StoreResult<O> change(String code, String operation, Attempt attempt,
			@Nullable String reason, Class<O> outcomes) {
		String[] args = { this.keys.base(code), operation, code, Integer.toString(this.maxEventsPerCoupon),
				millis(attempt.now()), optional(attempt.reference()), optional(attempt.customerId()),
				optional(attempt.client()), optional(reason) };
		List<Object> reply = this.scripts
			.write(new ClusterScripts.Call(this.change, new String[] { this.keys.coupon(code) }, args));
		O outcome = Enum.valueOf(outcomes, (String) reply.get(0));
		Coupon after = (reply.size() > 1) ? toCoupon(code, fields(reply.get(1))) : null;
		return new StoreResult<>(outcome, after);
	}

	/** An optional script argument: "" for none, "=value" for a value. */
	private static String optional(@Nullable String value) {
		return (value != null) ? "=" + value : "";
	}

	// --- many ------------------------------------------------------------------------

	/**
	 * Walks the shards in code order from the one of {@code after}: a few at a time (1,
	 * then twice as many each round up to {@value #LIST_WINDOW}), so a page of common
	 * coupons costs one script and a rare filter does not cost one round trip per shard.
	 */
	@Override
	public List<Coupon> list(CouponQuery query, @Nullable String after, int limit, Instant now) {
		List<Coupon> page = new ArrayList<>(Math.min(limit, 1000));
		if (limit <= 0) {
			return page;
		}
		int shard = (after != null) ? CouponKeys.shard(after) : 0;
		String from = (after != null) ? "(" + after : "-";
		int window = 1;
		while (shard < CouponKeys.SHARDS) {
			int remaining = limit - page.size();
			List<CompletableFuture<List<Object>>> parts = new ArrayList<>();
			for (int i = 0; i < window && shard + i < CouponKeys.SHARDS; i++) {
				parts.add(listPart(shard + i, query, (i == 0) ? from : "-", remaining, LIST_BUDGET, now));
			}
			boolean walkedAll = true;
			for (int i = 0; i < parts.size(); i++) {
				ListPart part = toListPart(this.scripts.await(parts.get(i)));
				for (Coupon coupon : part.coupons()) {
					page.add(coupon);
					if (page.size() == limit) {
						return page;
					}
				}
				if (!part.exhausted()) {
					// The script ran out of budget: go on in this shard after what it
					// saw.
					shard += i;
					from = "(" + part.last();
					walkedAll = false;
					break;
				}
			}
			if (walkedAll) {
				shard += parts.size();
				from = "-";
				window = Math.min(window * 2, LIST_WINDOW);
			}
		}
		return page;
	}

	/**
	 * Asks {@value #LIST_WINDOW} shards at a time for a page each, then pages on through
	 * those that have more: at most that many pages in memory, and no round trip per
	 * shard.
	 */
	@Override
	public void export(CouponQuery query, Instant now, Consumer<Coupon> sink) {
		for (int first = 0; first < CouponKeys.SHARDS; first += LIST_WINDOW) {
			List<CompletableFuture<List<Object>>> parts = new ArrayList<>();
			for (int shard = first; shard < Math.min(first + LIST_WINDOW, CouponKeys.SHARDS); shard++) {
				parts.add(listPart(shard, query, "-", EXPORT_PAGE, LIST_BUDGET, now));
			}
			for (int i = 0; i < parts.size(); i++) {
				ListPart part = toListPart(this.scripts.await(parts.get(i)));
				part.coupons().forEach(sink);
				while (!part.exhausted()) {
					part = toListPart(this.scripts
						.await(listPart(first + i, query, "(" + part.last(), EXPORT_PAGE, LIST_BUDGET, now)));
					part.coupons().forEach(sink);
				}
			}
		}
	}

	private CompletableFuture<List<Object>> listPart(int shard, CouponQuery query, String from, int limit, int budget,
			Instant now) {
		String status = (query.status() != null) ? query.status().name() : null;
		return this.scripts.read(this.listScript, new String[] { this.keys.index(shard, query) }, this.keys.base(shard),
				from, Integer.toString(limit), Integer.toString(budget), millis(now), optional(query.campaign()),
				optional(status), optional(query.customerId()));
	}

	private ListPart toListPart(List<Object> reply) {
		List<Coupon> coupons = new ArrayList<>();
		for (int i = 2; i < reply.size(); i += 2) {
			coupons.add(toCoupon((String) reply.get(i), fields(reply.get(i + 1))));
		}
		return new ListPart(((Number) reply.get(0)).longValue() == 1, (String) reply.get(1), coupons);
	}

	/** One shard's answer to a listing script. */
	private record ListPart(boolean exhausted, String last, List<Coupon> coupons) {
	}

	@Override
	public Map<CouponStatus, Long> countByStatus(@Nullable String campaign, Instant now) {
		List<CompletableFuture<List<Object>>> shards = new ArrayList<>(CouponKeys.SHARDS);
		for (int shard = 0; shard < CouponKeys.SHARDS; shard++) {
			shards.add(this.scripts.read(this.count, new String[] { this.keys.all(shard) }, this.keys.base(shard),
					millis(now), optional(campaign)));
		}
		long[] totals = new long[4];
		for (CompletableFuture<List<Object>> shard : shards) {
			List<Object> counts = this.scripts.await(shard);
			for (int i = 0; i < totals.length; i++) {
				totals[i] += ((Number) counts.get(i)).longValue();
			}
		}
		Map<CouponStatus, Long> result = new EnumMap<>(CouponStatus.class);
		result.put(CouponStatus.UNUSED, totals[0]);
		result.put(CouponStatus.USED, totals[1]);
		result.put(CouponStatus.EXPIRED, totals[2]);
		result.put(CouponStatus.VOID, totals[3]);
		return result;
	}

	// --- decoding --------------------------------------------------------------------

	private static Map<String, String> fields(Object flat) {
		List<?> list = (List<?>) flat;
		Map<String, String> fields = new HashMap<>();
		for (int i = 0; i + 1 < list.size(); i += 2) {
			fields.put((String) list.get(i), (String) list.get(i + 1));
		}
		return fields;
	}

	private static Coupon toCoupon(String code, Map<String, String> fields) {
		Map<String, String> metadata = new HashMap<>();
		fields.forEach((name, value) -> {
			if (name.startsWith(METADATA)) {
				metadata.put(name.substring(METADATA.length()), value);
			}
		});
		return new Coupon(code, CouponStatus.valueOf(required(fields, "s")),
				Instant.ofEpochMilli(Long.parseLong(required(fields, "cr"))), instant(fields.get("ex")),
				instant(fields.get("ra")), instant(fields.get("va")), fields.get("ref"), fields.get("camp"), metadata,
				fields.get("cu"), "1".equals(fields.get("cb")), instant(fields.get("rva")), fields.get("rvr"));
	}

	private static String required(Map<String, String> fields, String name) {
		String value = fields.get(name);
		if (value == null) {
			throw new DataAccessResourceFailureException("a stored coupon lacks its field " + name);
		}
		return value;
	}

	private static @Nullable Instant instant(@Nullable String millis) {
		return (millis != null) ? Instant.ofEpochMilli(Long.parseLong(millis)) : null;
	}

	private static CouponEvent toEvent(String stored) {
		JsonNode event = json.readTree(stored);
		return new CouponEvent(CouponEvent.Kind.valueOf(text(event, "k")),
				Instant.ofEpochMilli(Long.parseLong(text(event, "at"))), optionalText(event, "o"),
				optionalText(event, "r"), optionalText(event, "c"), optionalText(event, "ip"),
				optionalText(event, "why"));
	}

	private static String text(JsonNode event, String name) {
		String value = optionalText(event, name);
		if (value == null) {
			throw new DataAccessResourceFailureException("a stored event lacks its field " + name);
		}
		return value;
	}

	private static @Nullable String optionalText(JsonNode event, String name) {
		JsonNode value = event.get(name);
		return (value != null && !value.isNull()) ? value.asString() : null;
	}

}
