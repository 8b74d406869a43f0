package com.example.couponservice.coupon.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;

/**
 * Runs the store's scripts on a Redis Cluster through Lettuce.
 * <p>
 * Reads go through the cluster connection, which routes each script by its first key and
 * follows {@code MOVED} and {@code ASK} itself. Writes are routed here instead: a write
 * is acknowledged only once {@code minReplicaAcks} replicas have it, and {@code WAIT}
 * counts the replicas that have the writes <em>of the connection it is sent on</em>. So
 * each write goes to the master of its slot over a connection of its own to that master
 * ({@link StatefulRedisClusterConnection#getConnection(String, int)} of a cluster
 * connection borrowed for the write), followed by {@code WAIT} on that connection,
 * pipelined: one round trip. A batch of writes sends one {@code WAIT} per master, after
 * the last of its scripts, which covers all of them. Redis holds back every later command
 * of a connection while a {@code WAIT} on it is pending, so writes never share a
 * connection with reads nor with each other: {@code writeConnections} cluster connections
 * carry them, one borrowed per write (or batch) at a time; reads and unreplicated writes
 * ({@code minReplicaAcks} 0) use the shared one. A {@code MOVED} reply (the slot moved
 * on, nothing ran) refreshes the topology and sends the script again.
 * <p>
 * Scripts are loaded on every node (replicas too) at start and called by SHA-1; a call
 * that meets a node without the script ({@code NOSCRIPT}: restarted, promoted, or
 * flushed) is sent again to the same node with the script's body ({@code EVAL}), which
 * caches it there for the calls after it. Nothing else waits: no load on every node in
 * the middle of a request.
 * <p>
 * Every failure is a {@link DataAccessException} the web layer answers with 503: a
 * timeout (of the command or of {@code WAIT}) a {@link QueryTimeoutException}, anything
 * else a {@link DataAccessResourceFailureException}.
 */
class ClusterScripts {

	private static final Logger logger = LoggerFactory.getLogger(ClusterScripts.class);

	/** Tries of one write whose slot moved on; more means the topology is in flux. */
	private static final int MAX_REDIRECTS = 3;

	/**
	 * Longest wait for a reply; Lettuce's own command timeout
	 * ({@code spring.data.redis.timeout}) normally ends it first.
	 */
	private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Least time between two topology refreshes this class asks for: a dead master fails
	 * every call routed to it, and a refresh per call (a bulk insert makes hundreds)
	 * would flood the event loops that the calls to the live masters need.
	 */
	private static final Duration REFRESH_INTERVAL = Duration.ofMillis(500);

	/** Longest wait for a free write connection. */
	private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(2);

	private volatile RedisClusterClient client;

	private volatile StatefulRedisClusterConnection<String, String> connection;

	/** The connections writes borrow, when they wait for replicas. */
	private volatile BlockingQueue<StatefulRedisClusterConnection<String, String>> writers;

	private final int writeConnections;

	private final int minReplicaAcks;

	private final Duration waitTimeout;

	private final List<LuaScript> scripts;

	/** When the last topology refresh was asked for, in {@link System#nanoTime()}. */
	private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - REFRESH_INTERVAL.toNanos());

	ClusterScripts(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection,
			int minReplicaAcks, Duration waitTimeout, int writeConnections, List<LuaScript> scripts) {
		this.client = client;
		this.connection = connection;
		this.writeConnections = (minReplicaAcks > 0) ? writeConnections : 0;
		this.writers = connectWriters(client, this.writeConnections);
		this.minReplicaAcks = minReplicaAcks;
		this.waitTimeout = waitTimeout;
		this.scripts = List.copyOf(scripts);
		loadScripts();
	}

	/**
	 * Go on over another client and connection: the connection factory's client is
	 * replaced when its lifecycle stops and starts again.
	 */
	void use(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection) {
		this.client = client;
		this.connection = connection;
		this.writers = connectWriters(client, this.writeConnections);
		loadScripts();
	}

	StatefulRedisClusterConnection<String, String> connection() {
		return this.connection;
	}

	private static BlockingQueue<StatefulRedisClusterConnection<String, String>> connectWriters(
			RedisClusterClient client, int count) {
		BlockingQueue<StatefulRedisClusterConnection<String, String>> writers = new ArrayBlockingQueue<>(
				Math.max(1, count));
		for (int i = 0; i < count; i++) {
			writers.add(client.connect(StringCodec.UTF8));
		}
		return writers;
	}

	/**
	 * Close the shared connection and the write connections (a borrowed one on return).
	 */
	void close() {
		this.connection.close();
		BlockingQueue<StatefulRedisClusterConnection<String, String>> writers = this.writers;
		this.writers = new ArrayBlockingQueue<>(1);
		writers.forEach(StatefulRedisClusterConnection::close);
	}

	private void loadScripts() {
		for (LuaScript script : this.scripts) {
			// Every node, replicas included, so a promoted replica knows them too.
			await(this.connection.async().scriptLoad(script.body()));
		}
	}

	/** One script call: its keys (all of one slot, the first routes it) and arguments. */
	record Call(LuaScript script, String[] keys, String[] args) {

		int slot() {
			return SlotHash.getSlot(this.keys[0]);
		}

	}

	/**
	 * The reply of one call of a {@link #write batch}, or why there is none.
	 *
	 * @param reply the script's reply; {@code null} when it failed
	 * @param failure why it failed, or why its change is not known to be replicated
	 */
	record Outcome(@Nullable List<Object> reply, @Nullable DataAccessException failure) {

		List<Object> orThrow() {
			if (this.failure != null) {
				throw this.failure;
			}
			if (this.reply == null) {
				throw new IllegalStateException("an outcome without reply or failure");
			}
			return this.reply;
		}

	}

	/** Run one script that reads, on the master of its slot. */
	CompletableFuture<List<Object>> read(LuaScript script, String[] keys, String... args) {
		RedisAdvancedClusterAsyncCommands<String, String> commands = this.connection.async();
		return commands.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args)
			.toCompletableFuture()
			.exceptionallyCompose((ex) -> {
				if (unwrap(ex) instanceof RedisNoScriptException) {
					return commands.<List<Object>>eval(script.body(), ScriptOutputType.MULTI, keys, args)
						.toCompletableFuture();
				}
				return CompletableFuture.failedFuture(ex);
			});
	}

	/** Wait for a read and translate its failure. */
	<T> T await(Future<T> reply) {
		try {
			return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw translate(unwrap(ex));
		}
		catch (TimeoutException ex) {
			throw new QueryTimeoutException("no reply from Redis within " + REPLY_TIMEOUT, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DataAccessResourceFailureException("interrupted while waiting for Redis", ex);
		}
	}

	/**
	 * Run one script that writes, and wait for its replicas; see {@link #write(List)}.
	 */
	List<Object> write(Call call) {
		return write(List.of(call)).get(0).orThrow();
	}

	/**
	 * Run scripts that write, each on the master of its slot, pipelined, then one
	 * {@code WAIT} per master; the outcomes in the order of {@code calls}. A call whose
	 * master did not confirm enough replicas in time fails with a
	 * {@link QueryTimeoutException} although it ran.
	 */
	List<Outcome> write(List<Call> calls) {
		Outcome[] outcomes = new Outcome[calls.size()];
		List<Integer> toSend = new ArrayList<>();
		for (int i = 0; i < calls.size(); i++) {
			toSend.add(i);
		}
		// Calls whose node did not know their script: sent again with its body.
		Set<Integer> withBody = new HashSet<>();
		BlockingQueue<StatefulRedisClusterConnection<String, String>> writers = this.writers;
		StatefulRedisClusterConnection<String, String> writer = (this.writeConnections > 0) ? borrow(writers)
				: this.connection;
		if (writer == null) {
			DataAccessException busy = new QueryTimeoutException("all " + this.writeConnections
					+ " Redis write connections stayed busy for " + BORROW_TIMEOUT.toMillis() + " ms");
			Arrays.fill(outcomes, new Outcome(null, busy));
			return List.of(outcomes);
		}
		try {
			for (int attempt = 0; !toSend.isEmpty(); attempt++) {
				if (attempt == MAX_REDIRECTS) {
					for (int i : toSend) {
						outcomes[i] = new Outcome(null, new DataAccessResourceFailureException(
								"the slot of " + calls.get(i).keys()[0] + " keeps moving; try again"));
					}
					break;
				}
				toSend = send(writer, calls, toSend, withBody, outcomes);
			}
		}
		finally {
			// A pool replaced meanwhile (closed, or reconnected) no longer takes it back.
			if (writer != this.connection && (writers != this.writers || !writers.offer(writer))) {
				writer.close();
			}
		}
		return List.of(outcomes);
	}

	private static @Nullable StatefulRedisClusterConnection<String, String> borrow(
			BlockingQueue<StatefulRedisClusterConnection<String, String>> writers) {
		try {
			return writers.poll(BORROW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** One round of {@link #write(List)}; returns the calls to send again. */
	private List<Integer> send(StatefulRedisClusterConnection<String, String> writer, List<Call> calls,
			List<Integer> indexes, Set<Integer> withBody, Outcome[] outcomes) {
		Map<RedisURI, List<Integer>> byMaster = new LinkedHashMap<>();
		for (int i : indexes) {
			RedisClusterNode master = this.connection.getPartitions().getMasterBySlot(calls.get(i).slot());
			if (master == null) {
				refreshTopology();
				outcomes[i] = new Outcome(null, new DataAccessResourceFailureException(
						"no Redis master serves slot " + calls.get(i).slot() + " (a failover in progress?)"));
			}
			else {
				byMaster.computeIfAbsent(master.getUri(), (uri) -> new ArrayList<>()).add(i);
			}
		}
		Map<Integer, CompletableFuture<List<Object>>> replies = new LinkedHashMap<>();
		Map<RedisURI, CompletableFuture<Long>> waits = new LinkedHashMap<>();
		byMaster.forEach((uri, onMaster) -> {
			RedisAsyncCommands<String, String> commands;
			try {
				StatefulRedisConnection<String, String> node = writer.getConnection(uri.getHost(), uri.getPort());
				commands = node.async();
			}
			catch (RuntimeException ex) {
				refreshTopology();
				onMaster.forEach((i) -> outcomes[i] = new Outcome(null, translate(ex)));
				return;
			}
			for (int i : onMaster) {
				Call call = calls.get(i);
				RedisFuture<List<Object>> reply = withBody.contains(i)
						? commands.eval(call.script().body(), ScriptOutputType.MULTI, call.keys(), call.args())
						: commands.evalsha(call.script().sha(), ScriptOutputType.MULTI, call.keys(), call.args());
				replies.put(i, reply.toCompletableFuture());
			}
			if (this.minReplicaAcks > 0) {
				waits.put(uri, commands.waitForReplication(this.minReplicaAcks, this.waitTimeout.toMillis())
					.toCompletableFuture());
			}
		});
		List<Integer> again = new ArrayList<>();
		boolean moved = false;
		for (Map.Entry<Integer, CompletableFuture<List<Object>>> entry : replies.entrySet()) {
			int i = entry.getKey();
			try {
				outcomes[i] = new Outcome(await(entry.getValue()), null);
			}
			catch (ScriptNotLoaded ex) {
				// Nothing ran; the next round sends it again, with its body.
				withBody.add(i);
				again.add(i);
			}
			catch (SlotMoved ex) {
				moved = true;
				again.add(i);
			}
			catch (DataAccessException ex) {
				outcomes[i] = new Outcome(null, ex);
			}
		}
		byMaster.forEach((uri, onMaster) -> {
			CompletableFuture<Long> wait = waits.get(uri);
			if (wait == null) {
				return;
			}
			DataAccessException failure;
			try {
				long acks = await(wait);
				failure = (acks >= this.minReplicaAcks) ? null
						: new QueryTimeoutException("Redis master " + uri.getHost() + ":" + uri.getPort()
								+ " has the change, but only " + acks + " of " + this.minReplicaAcks
								+ " replicas confirmed it within " + this.waitTimeout.toMillis() + " ms");
			}
			catch (DataAccessException ex) {
				failure = ex;
			}
			if (failure != null) {
				logger.warn("Unreplicated write: {}", failure.getMessage());
				for (int i : onMaster) {
					if (outcomes[i] != null && outcomes[i].failure() == null) {
						outcomes[i] = new Outcome(null, failure);
					}
				}
			}
		});
		if (moved) {
			this.client.refreshPartitions();
		}
		return again;
	}

	/** Learn the topology anew, unless that was asked for very recently. */
	private void refreshTopology() {
		long last = this.lastRefresh.get();
		long now = System.nanoTime();
		if (now - last >= REFRESH_INTERVAL.toNanos() && this.lastRefresh.compareAndSet(last, now)) {
			this.client.refreshPartitionsAsync();
		}
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable cause = ex;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private DataAccessException translate(Throwable ex) {
		if (ex instanceof RedisNoScriptException) {
			return new ScriptNotLoaded(ex);
		}
		if (ex instanceof RedisCommandTimeoutException) {
			return new QueryTimeoutException("Redis did not answer in time: " + ex.getMessage(), ex);
		}
		String message = String.valueOf(ex.getMessage());
		if (ex instanceof RedisCommandExecutionException && message.startsWith("MOVED")) {
			return new SlotMoved(ex);
		}
		if (!(ex instanceof RedisCommandExecutionException)) {
			// The connection, not the command: the node may be gone; learn the topology
			// anew so the next request finds its successor.
			refreshTopology();
		}
		return new DataAccessResourceFailureException("Redis failed: " + message, ex);
	}

	/** {@code NOSCRIPT}: send the body instead. */
	private static final class ScriptNotLoaded extends DataAccessResourceFailureException {

		ScriptNotLoaded(Throwable cause) {
			super("script not loaded on that node", cause);
		}

	}

	/** {@code MOVED}: nothing ran; the topology changed. */
	private static final class SlotMoved extends DataAccessResourceFailureException {

		SlotMoved(Throwable cause) {
			super("slot moved: " + cause.getMessage(), cause);
		}

	}

}
