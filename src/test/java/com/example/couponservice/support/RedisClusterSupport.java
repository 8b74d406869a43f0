package com.example.couponservice.support;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

/**
 * A real Redis Cluster for tests: {@code redis-server} child processes on loopback ports,
 * so the Redis mode meets the slot routing, {@code MOVED} replies and failovers of
 * production without Docker. It needs Debian's {@code redis-server} package (which brings
 * {@code redis-cli}); {@code .ci/run} installs it.
 * <p>
 * {@link #shared()} is one cluster of three masters with one replica each per JVM,
 * started on first use and stopped when the JVM exits. Redis Cluster has only database 0,
 * so test classes keep out of each other's way with a {@link #newKeyPrefix() key prefix}
 * of their own (classes run in parallel, so none may empty the shared cluster). A test
 * that kills nodes takes a {@link #startDedicated() dedicated} cluster, so it does not
 * pull the floor from under other classes, and closes it. {@link #startSingleNode()} is
 * one cluster-enabled node that serves every slot, for tests that want a cluster client's
 * code path but not a failover.
 * <p>
 * Every node keeps its data in a temporary directory of its own (AOF on, as in
 * production), so {@link #restart(Node)} after a {@link #kill(Node)} brings back the same
 * node on the same port, and it rejoins the cluster from its {@code nodes.conf} as one
 * restarted by a supervisor would. The harness talks to the nodes over a tiny RESP
 * connection of its own ({@link #connect(Node)}); {@code redis-cli} only builds the
 * cluster, and no Redis client library is needed.
 * <p>
 * Nodes are child processes, which outlive a JVM that does not stop them: a shutdown hook
 * closes every cluster still open, and the first cluster of a JVM kills the nodes that a
 * JVM which died without its hooks (SIGKILL) left behind.
 */
public final class RedisClusterSupport implements AutoCloseable {

	/** The loopback address every node binds to and announces. */
	public static final String HOST = "127.0.0.1";

	/** Redis Cluster's fixed number of hash slots. */
	public static final int SLOTS = 16384;

	private static final String NOT_INSTALLED = " not found: install Debian's redis-server (apt-get install -y redis-server); .ci/run does this";

	/**
	 * Short enough that a killed master's replica takes over in about two seconds (the
	 * failure is detected after one timeout, the election waits 0.5 to 1 s more).
	 */
	private static final Duration DEDICATED_NODE_TIMEOUT = Duration.ofMillis(1000);

	/**
	 * Nobody kills nodes of the shared cluster, so it gets twice the time before a busy
	 * two-core machine makes a stalled node look dead and triggers a failover no test
	 * asked for.
	 */
	private static final Duration SHARED_NODE_TIMEOUT = Duration.ofMillis(2000);

	/**
	 * Bounds every wait; generous, since a healthy cluster needs a few seconds at most.
	 */
	private static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

	private static final int READ_TIMEOUT_MILLIS = 10_000;

	/**
	 * Client ports are drawn from 10000-22767, so that they and their cluster bus ports
	 * (port + 10000, up to 32767) stay below Linux's ephemeral range (32768-60999): an
	 * outgoing connection of some other process cannot take one between the check here
	 * and the node's bind.
	 */
	private static final int FIRST_PORT = 10_000;

	private static final int LAST_PORT = 22_767;

	private static final int BUS_PORT_OFFSET = 10_000;

	private static final int PORT_ATTEMPTS = 5;

	private static final String DIRECTORY_PREFIX = "coupon-redis-";

	private static final String OWNER_FILE = "owner.pid";

	private static final String PID_FILE = "redis.pid";

	private static final String LOG_FILE = "redis.log";

	/** Flags of a node that is failing or not fully joined yet. */
	private static final Set<String> NOT_HEALTHY_FLAGS = Set.of("fail", "fail?", "handshake", "noaddr");

	private static final Set<Integer> portsInUse = new HashSet<>();

	private static final Set<RedisClusterSupport> open = new LinkedHashSet<>();

	private static boolean orphansReaped;

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(RedisClusterSupport::closeAll, "redis-cluster-shutdown"));
	}

	private final Path redisServer;

	private final Duration nodeTimeout;

	private final int replicasPerMaster;

	private final Path directory;

	private final Map<Node, Path> directories = new LinkedHashMap<>();

	private final Map<Node, Process> processes = new LinkedHashMap<>();

	private final AtomicInteger keyPrefixes = new AtomicInteger();

	private boolean closed;

	private RedisClusterSupport(int nodeCount, int replicasPerMaster, Duration nodeTimeout) {
		this.redisServer = executable("redis-server");
		this.nodeTimeout = nodeTimeout;
		this.replicasPerMaster = replicasPerMaster;
		reapOrphans();
		try {
			this.directory = Files.createTempDirectory(DIRECTORY_PREFIX);
			Files.writeString(this.directory.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create a directory for Redis", ex);
		}
		synchronized (RedisClusterSupport.class) {
			open.add(this);
		}
		try {
			startNodes(nodeCount);
			if (nodeCount == 1) {
				call(this.directories.keySet().iterator().next(), "CLUSTER", "ADDSLOTSRANGE", "0",
						Integer.toString(SLOTS - 1));
			}
			else {
				createCluster();
			}
			awaitHealthy();
		}
		catch (RuntimeException | Error ex) {
			close();
			throw ex;
		}
	}

	/**
	 * The cluster of this JVM (three masters, one replica each), started on first use. Do
	 * not kill its nodes; use {@link #startDedicated()} for that.
	 */
	public static RedisClusterSupport shared() {
		// Checked here too, so a missing package says so on every call instead of as a
		// NoClassDefFoundError after the first.
		executable("redis-server");
		executable("redis-cli");
		return Shared.INSTANCE;
	}

	/**
	 * A cluster of the caller's own (three masters, one replica each, quick failover), to
	 * kill and restart nodes of at will; {@link #close()} it.
	 */
	public static RedisClusterSupport startDedicated() {
		return new RedisClusterSupport(6, 1, DEDICATED_NODE_TIMEOUT);
	}

	/**
	 * One node with cluster mode on and all 16384 slots, no replica; {@link #close()} it.
	 * Cluster mode rather than a plain server because a cluster client (Lettuce's
	 * {@code RedisClusterClient}, Spring's {@code spring.data.redis.cluster.nodes}) asks
	 * its seeds for {@code CLUSTER SLOTS} and fails on a plain server; and a cluster node
	 * refuses multi-key commands across slots ({@code CROSSSLOT}) even when it owns them
	 * all, so code tested here holds on a real cluster too.
	 */
	public static RedisClusterSupport startSingleNode() {
		return new RedisClusterSupport(1, 0, SHARED_NODE_TIMEOUT);
	}

	/**
	 * Every node as {@code 127.0.0.1:port}, comma-separated: the seeds for a cluster
	 * client, in the format of the {@code REDIS_NODES} variable.
	 */
	public String nodes() {
		return allNodes().stream().map(Node::address).collect(Collectors.joining(","));
	}

	/** Every node of the cluster, running or killed, in the order they were created. */
	public synchronized List<Node> allNodes() {
		return List.copyOf(this.directories.keySet());
	}

	/**
	 * The masters that serve slots, by their first slot, as one running node sees them;
	 * after a kill, {@link #awaitFailoverOf(Node) await the failover} first.
	 */
	public List<Node> masters() {
		return topology().masters();
	}

	/** The replicas that {@code master} streams to (state {@code online}). */
	public List<Node> replicasOf(Node master) {
		String replication = text(master, "INFO", "replication");
		List<Node> replicas = new ArrayList<>();
		for (String line : lines(replication)) {
			// slave0:ip=127.0.0.1,port=17005,state=online,offset=1234,lag=0
			if (line.startsWith("slave") && line.contains(",state=online,")) {
				replicas.add(new Node(Integer.parseInt(field(line.substring(line.indexOf(':') + 1), "port"))));
			}
		}
		return replicas;
	}

	/** The master that serves {@code key}'s slot now. */
	public Node masterOf(String key) {
		int slot = slotOf(key);
		Node owner = topology().owner(slot);
		if (owner == null) {
			throw new IllegalStateException("no master serves slot " + slot + " (a failover in progress?)");
		}
		return owner;
	}

	/**
	 * The hash slot of {@code key}: CRC16 (XMODEM) of its hash tag (the text between the
	 * first opening brace and the next closing one, when not empty), else of the whole
	 * key, as Redis computes it.
	 */
	public static int slotOf(String key) {
		byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
		int start = 0;
		int end = bytes.length;
		int open = indexOf(bytes, (byte) '{', 0);
		if (open >= 0) {
			int close = indexOf(bytes, (byte) '}', open + 1);
			if (close > open + 1) {
				start = open + 1;
				end = close;
			}
		}
		int crc = 0;
		for (int i = start; i < end; i++) {
			crc ^= (bytes[i] & 0xFF) << 8;
			for (int bit = 0; bit < 8; bit++) {
				crc = ((crc & 0x8000) != 0) ? ((crc << 1) ^ 0x1021) : (crc << 1);
			}
		}
		return (crc & 0xFFFF) % SLOTS;
	}

	/**
	 * A prefix ({@code t1:}, {@code t2:}, ...) not handed out before by this cluster: the
	 * cheap fresh keyspace, since Redis Cluster has no databases to {@code SELECT}. Keep
	 * it outside hash tags, so keys fall into the same slots as in production.
	 */
	public String newKeyPrefix() {
		return "t" + this.keyPrefixes.incrementAndGet() + ":";
	}

	/**
	 * Kill {@code node} as a crash would: SIGKILL, no shutdown, whatever its AOF has not
	 * written yet is lost. The other nodes notice after the node timeout.
	 */
	public synchronized void kill(Node node) {
		Process process = this.processes.remove(node);
		if (process == null) {
			throw new IllegalStateException(node + " is not a running node of this cluster");
		}
		destroy(process);
	}

	/**
	 * Start a {@link #kill(Node) killed} node again on its port and directory, as a
	 * supervisor would; returns once it answers. It loads its data and {@code nodes.conf}
	 * and rejoins by itself: a master that was failed over comes back as a replica of its
	 * successor ({@link #awaitHealthy()}).
	 */
	public synchronized void restart(Node node) {
		Path nodeDirectory = this.directories.get(node);
		if (nodeDirectory == null || this.processes.containsKey(node) || this.closed) {
			throw new IllegalStateException(node + " is not a killed node of this open cluster");
		}
		Process process = spawn(node, nodeDirectory);
		this.processes.put(node, process);
		if (!awaitStarted(node, process)) {
			throw new IllegalStateException(
					node + " cannot listen on its port again, another process took it: " + logTail(nodeDirectory));
		}
	}

	/**
	 * Whether {@code node} runs (was not {@link #kill(Node) killed}, or was restarted).
	 */
	public synchronized boolean isRunning(Node node) {
		return this.processes.containsKey(node);
	}

	/**
	 * Wait until the cluster has failed over {@code killed}: every running node reports
	 * {@code cluster_state:ok}, flags it {@code fail}, gives its slots to a running
	 * master, and all agree on who serves which slot. Returns at once when the survivors
	 * agree already (a killed replica, say).
	 */
	public void awaitFailoverOf(Node killed) {
		if (isRunning(killed)) {
			throw new IllegalStateException(killed + " is running; kill(...) it first");
		}
		await("failover of " + killed, () -> {
			Map<Node, Topology> views = new LinkedHashMap<>();
			String problem = agreement(views);
			if (problem != null) {
				return problem;
			}
			for (Map.Entry<Node, Topology> view : views.entrySet()) {
				Node node = view.getKey();
				NodeEntry entry = view.getValue().entry(killed);
				if (entry != null && !entry.flags().contains("fail")) {
					return node + " does not flag " + killed + " as fail yet (" + entry.flags() + ")";
				}
				if (entry != null && !entry.slots().isEmpty()) {
					return node + " still has " + killed + " serving " + entry.slots();
				}
			}
			return null;
		});
	}

	/**
	 * Wait until {@code master} streams to at least one replica (state {@code online}),
	 * e.g. after a {@link #restart(Node) restarted} node took the place of its lost one.
	 */
	public void awaitReplicaOf(Node master) {
		await("a replica of " + master, () -> replicasOf(master).isEmpty() ? master + " has no online replica" : null);
	}

	/**
	 * Wait until the whole cluster is as started: every node runs and reports
	 * {@code cluster_state:ok}, none flags another as failing, all agree on who serves
	 * which slot, and every master streams to its replica, which has its link up.
	 */
	public void awaitHealthy() {
		synchronized (this) {
			List<Node> down = new ArrayList<>(this.directories.keySet());
			down.removeAll(this.processes.keySet());
			if (!down.isEmpty()) {
				throw new IllegalStateException("a cluster with killed nodes cannot become healthy; restart " + down);
			}
		}
		await("a healthy cluster", this::unhealthy);
	}

	/**
	 * Send one command to {@code node} on a connection of its own and return the reply: a
	 * status, bulk string or integer as text, a nil as {@code null}, an array's elements
	 * one per line.
	 * @throws ErrorReply when Redis answers with an error ({@code MOVED},
	 * {@code CROSSSLOT}...)
	 */
	public @Nullable String call(Node node, String... command) {
		try (Connection connection = connect(node)) {
			return connection.call(command);
		}
	}

	/**
	 * A connection to {@code node}, for commands that act on the connection's own state:
	 * {@code WAIT} counts the replicas that have this connection's writes, a replica
	 * serves reads after {@code READONLY}, {@code MULTI}/{@code EXEC}.
	 */
	public Connection connect(Node node) {
		return new Connection(node);
	}

	/** Kill every node, wait until they are gone, and delete their data. */
	@Override
	public void close() {
		List<Process> running;
		List<Node> all;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			running = new ArrayList<>(this.processes.values());
			this.processes.clear();
			all = allNodes();
		}
		running.forEach(RedisClusterSupport::destroy);
		synchronized (RedisClusterSupport.class) {
			open.remove(this);
			all.forEach((node) -> portsInUse.remove(node.port()));
		}
		try {
			FileSystemUtils.deleteRecursively(this.directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot delete " + this.directory, ex);
		}
	}

	private void startNodes(int count) {
		Map<Node, Process> starting = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			Path nodeDirectory = this.directory.resolve("node-" + i);
			try {
				Files.createDirectories(nodeDirectory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot create " + nodeDirectory, ex);
			}
			Node node = new Node(reservePort());
			starting.put(node, register(node, nodeDirectory));
		}
		// Spawned together, awaited one by one: a node needs a few milliseconds, and
		// Redis holds back cluster_state:ok for 2 s after its start whatever we do.
		for (Map.Entry<Node, Process> entry : starting.entrySet()) {
			Node node = entry.getKey();
			Process process = entry.getValue();
			int attempt = 1;
			while (!awaitStarted(node, process)) {
				// Another process took the port since reservePort() found it free.
				Path nodeDirectory = unregister(node);
				if (attempt++ == PORT_ATTEMPTS) {
					throw new IllegalStateException("no free port for a Redis node after " + PORT_ATTEMPTS
							+ " attempts: " + logTail(nodeDirectory));
				}
				node = new Node(reservePort());
				process = register(node, nodeDirectory);
			}
		}
	}

	private synchronized Process register(Node node, Path nodeDirectory) {
		Process process = spawn(node, nodeDirectory);
		this.directories.put(node, nodeDirectory);
		this.processes.put(node, process);
		return process;
	}

	private synchronized Path unregister(Node node) {
		Process process = this.processes.remove(node);
		if (process != null) {
			destroy(process);
		}
		return this.directories.remove(node);
	}

	private Process spawn(Node node, Path nodeDirectory) {
		List<String> command = List.of(this.redisServer.toString(), "--port", Integer.toString(node.port()), "--bind",
				HOST, "--protected-mode", "no", "--daemonize", "no", "--dir", nodeDirectory.toString(),
				"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
				Long.toString(this.nodeTimeout.toMillis()), "--appendonly", "yes", "--appendfsync", "everysec",
				"--save", "",
				// Redis waits 5 s by default for more replicas before it streams a full
				// sync; each start and each rejoin would wait with it.
				"--repl-diskless-sync-delay", "0");
		try {
			Process process = new ProcessBuilder(command).directory(nodeDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(Redirect.appendTo(nodeDirectory.resolve(LOG_FILE).toFile()))
				.start();
			process.getOutputStream().close();
			Files.writeString(nodeDirectory.resolve(PID_FILE), Long.toString(process.pid()));
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start " + this.redisServer, ex);
		}
	}

	/**
	 * Wait until {@code node} answers {@code PING}; {@code false} when its port was
	 * taken, an exception when it failed otherwise.
	 */
	private boolean awaitStarted(Node node, Process process) {
		long deadline = System.nanoTime() + NODE_START_TIMEOUT.toNanos();
		while (true) {
			try (Connection connection = connect(node)) {
				if ("PONG".equals(connection.call("PING"))) {
					return true;
				}
			}
			catch (UncheckedIOException | ErrorReply ex) {
				// Not listening yet, or still loading its data.
			}
			if (!process.isAlive()) {
				String log = logTail(this.directories.get(node));
				if (log.contains("Address already in use")) {
					return false;
				}
				throw new IllegalStateException(node + " exited with " + process.exitValue() + ": " + log);
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(node + " did not answer PING within " + NODE_START_TIMEOUT.toSeconds()
						+ " s: " + logTail(this.directories.get(node)));
			}
			pause();
		}
	}

	private void createCluster() {
		Path redisCli = executable("redis-cli");
		List<String> command = new ArrayList<>(List.of(redisCli.toString(), "--cluster", "create"));
		allNodes().forEach((node) -> command.add(node.address()));
		command.addAll(List.of("--cluster-replicas", Integer.toString(this.replicasPerMaster), "--cluster-yes"));
		Path log = this.directory.resolve("cluster-create.log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			process.getOutputStream().close();
			if (!process.waitFor(AWAIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				destroy(process);
				throw new IllegalStateException("redis-cli --cluster create did not finish within "
						+ AWAIT_TIMEOUT.toSeconds() + " s: " + withoutColours(Files.readString(log)));
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed with " + process.exitValue() + ": "
						+ withoutColours(Files.readString(log)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot run " + redisCli, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while creating the cluster", ex);
		}
	}

	/** What keeps the cluster from being healthy, or {@code null}. */
	private @Nullable String unhealthy() {
		Map<Node, Topology> views = new LinkedHashMap<>();
		String problem = agreement(views);
		if (problem != null) {
			return problem;
		}
		int nodeCount = allNodes().size();
		for (Map.Entry<Node, Topology> view : views.entrySet()) {
			List<NodeEntry> entries = view.getValue().entries();
			if (entries.size() != nodeCount) {
				return view.getKey() + " knows " + entries.size() + " nodes, not " + nodeCount;
			}
			for (NodeEntry entry : entries) {
				if (!Collections.disjoint(entry.flags(), NOT_HEALTHY_FLAGS)) {
					return view.getKey() + " flags " + entry.node() + " as " + entry.flags();
				}
			}
		}
		List<Node> masters = views.values().iterator().next().masters();
		int expectedMasters = nodeCount / (1 + this.replicasPerMaster);
		if (masters.size() != expectedMasters) {
			return masters.size() + " masters serve slots, not " + expectedMasters + ": " + masters;
		}
		for (Node master : masters) {
			List<Node> replicas = replicasOf(master);
			if (replicas.size() < this.replicasPerMaster) {
				return master + " streams to " + replicas + ", not to " + this.replicasPerMaster + " replicas";
			}
		}
		for (Node node : views.keySet()) {
			if (!masters.contains(node)) {
				String replication = text(node, "INFO", "replication");
				if (!replication.contains("role:slave") || !replication.contains("master_link_status:up")) {
					return node + " is neither a master with slots nor a replica with its link up";
				}
			}
		}
		return null;
	}

	/**
	 * What keeps the running nodes from agreeing on a serving cluster, or {@code null}:
	 * each must answer, report {@code cluster_state:ok} and see the same slot owners.
	 * Puts each node's view in {@code views}.
	 */
	private @Nullable String agreement(Map<Node, Topology> views) {
		for (Node node : running()) {
			if (!text(node, "CLUSTER", "INFO").contains("cluster_state:ok")) {
				return node + " reports cluster_state:fail";
			}
			views.put(node, topology(node));
		}
		if (views.isEmpty()) {
			return "no node runs";
		}
		Map.Entry<Node, Topology> first = views.entrySet().iterator().next();
		for (Map.Entry<Node, Topology> view : views.entrySet()) {
			if (!view.getValue().owners().equals(first.getValue().owners())) {
				return view.getKey() + " sees slot owners " + view.getValue().owners() + ", " + first.getKey()
						+ " sees " + first.getValue().owners();
			}
		}
		return null;
	}

	private synchronized List<Node> running() {
		return List.copyOf(this.processes.keySet());
	}

	private Topology topology() {
		UncheckedIOException failure = null;
		for (Node node : running()) {
			try {
				return topology(node);
			}
			catch (UncheckedIOException ex) {
				failure = ex;
			}
		}
		throw new IllegalStateException("no running node answers", failure);
	}

	private Topology topology(Node node) {
		return Topology.parse(text(node, "CLUSTER", "NODES"));
	}

	private String text(Node node, String... command) {
		String reply = call(node, command);
		if (reply == null) {
			throw new IllegalStateException(node + " answered nil to " + String.join(" ", command));
		}
		return reply;
	}

	/**
	 * Poll {@code unmet} until it names no problem; a node that does not answer (yet) is
	 * a problem like any other, until the time is up.
	 */
	private static void await(String what, Supplier<@Nullable String> unmet) {
		long deadline = System.nanoTime() + AWAIT_TIMEOUT.toNanos();
		String problem = check(unmet);
		while (problem != null) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(
						"no " + what + " within " + AWAIT_TIMEOUT.toSeconds() + " s; last seen: " + problem);
			}
			pause();
			problem = check(unmet);
		}
	}

	private static @Nullable String check(Supplier<@Nullable String> unmet) {
		try {
			return unmet.get();
		}
		catch (UncheckedIOException | ErrorReply ex) {
			return ex.getMessage();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(POLL_INTERVAL.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for Redis", ex);
		}
	}

	/**
	 * SIGKILL to the node and to any child it forked (AOF rewrite), then wait for both.
	 */
	private static void destroy(Process process) {
		List<ProcessHandle> children = process.descendants().toList();
		process.destroyForcibly();
		children.forEach(ProcessHandle::destroyForcibly);
		try {
			process.onExit().get(10, TimeUnit.SECONDS);
			for (ProcessHandle child : children) {
				child.onExit().get(10, TimeUnit.SECONDS);
			}
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("redis-server " + process.pid() + " did not die", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while killing Redis", ex);
		}
	}

	private static synchronized int reservePort() {
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT + 1);
			if (!portsInUse.contains(port) && canBind(port) && canBind(port + BUS_PORT_OFFSET)) {
				portsInUse.add(port);
				return port;
			}
		}
		throw new IllegalStateException("no free port pair (p, p + 10000) in " + FIRST_PORT + "-" + LAST_PORT);
	}

	private static boolean canBind(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(HOST, port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Path executable(String name) {
		String path = System.getenv("PATH");
		Stream<String> directories = Stream.concat(
				(path != null) ? Arrays.stream(path.split(File.pathSeparator)) : Stream.empty(),
				Stream.of("/usr/bin", "/usr/local/bin"));
		return directories.filter((directory) -> !directory.isEmpty())
			.map((directory) -> Path.of(directory, name))
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(name + NOT_INSTALLED));
	}

	/**
	 * Kill the nodes of clusters whose JVM died without running its shutdown hooks, and
	 * delete their directories; once per JVM, before its first cluster starts.
	 */
	private static synchronized void reapOrphans() {
		if (orphansReaped) {
			return;
		}
		orphansReaped = true;
		Path temp = Path.of(System.getProperty("java.io.tmpdir"));
		try (DirectoryStream<Path> clusters = Files.newDirectoryStream(temp, DIRECTORY_PREFIX + "*")) {
			for (Path cluster : clusters) {
				Long owner = readPid(cluster.resolve(OWNER_FILE));
				if (owner == null || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
					continue;
				}
				try (Stream<Path> nodeDirectories = Files.list(cluster)) {
					nodeDirectories.map((node) -> readPid(node.resolve(PID_FILE)))
						.filter((pid) -> pid != null)
						.forEach((pid) -> ProcessHandle.of(pid)
							.filter((process) -> process.info().command().orElse("").contains("redis"))
							.ifPresent(ProcessHandle::destroyForcibly));
				}
				FileSystemUtils.deleteRecursively(cluster);
			}
		}
		catch (IOException ex) {
			// Someone else's leftovers: not worth failing this JVM's tests over.
		}
	}

	private static @Nullable Long readPid(Path file) {
		try {
			return Files.isRegularFile(file) ? Long.valueOf(Files.readString(file).trim()) : null;
		}
		catch (IOException | NumberFormatException ex) {
			return null;
		}
	}

	private static void closeAll() {
		List<RedisClusterSupport> clusters;
		synchronized (RedisClusterSupport.class) {
			clusters = new ArrayList<>(open);
		}
		clusters.forEach(RedisClusterSupport::close);
	}

	private static String logTail(@Nullable Path nodeDirectory) {
		if (nodeDirectory == null) {
			return "(no log)";
		}
		try {
			List<String> lines = Files.readAllLines(nodeDirectory.resolve(LOG_FILE));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static String withoutColours(String text) {
		return text.replaceAll("\u001B\\[[;\\d]*m", "");
	}

	private static List<String> lines(@Nullable String text) {
		return (text != null) ? List.of(text.split("\r?\n")) : List.of();
	}

	private static String field(String fields, String name) {
		for (String pair : fields.split(",")) {
			if (pair.startsWith(name + "=")) {
				return pair.substring(name.length() + 1);
			}
		}
		throw new IllegalStateException("no " + name + " in " + fields);
	}

	private static int indexOf(byte[] bytes, byte wanted, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == wanted) {
				return i;
			}
		}
		return -1;
	}

	/** A node of a cluster, named by its client port on {@link #HOST}. */
	public record Node(int port) {

		/** {@code 127.0.0.1:port}. */
		public String address() {
			return HOST + ":" + this.port;
		}

		@Override
		public String toString() {
			return address();
		}

	}

	/**
	 * An error reply of Redis, such as {@code MOVED 866 127.0.0.1:12345} or
	 * {@code CROSSSLOT ...}.
	 */
	public static final class ErrorReply extends RuntimeException {

		ErrorReply(String message) {
			super(message);
		}

	}

	/**
	 * A plain RESP2 connection to one node: enough for the harness and for tests that
	 * check what a node holds, and no Redis client library on the test class path before
	 * the project chooses one.
	 */
	public static final class Connection implements AutoCloseable {

		private final Node node;

		private final Socket socket;

		private final OutputStream out;

		private final InputStream in;

		Connection(Node node) {
			this.node = node;
			this.socket = new Socket();
			try {
				this.socket.connect(new InetSocketAddress(HOST, node.port()), CONNECT_TIMEOUT_MILLIS);
				this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
				this.out = new BufferedOutputStream(this.socket.getOutputStream());
				this.in = new BufferedInputStream(this.socket.getInputStream());
			}
			catch (IOException ex) {
				close();
				throw new UncheckedIOException("cannot connect to " + node, ex);
			}
		}

		/**
		 * Send one command and return the reply: a status, bulk string or integer as
		 * text, a nil as {@code null}, an array's elements one per line.
		 * @throws ErrorReply when Redis answers with an error
		 */
		public @Nullable String call(String... command) {
			try {
				this.out.write(('*' + Integer.toString(command.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
				for (String argument : command) {
					byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
					this.out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
					this.out.write(bytes);
					this.out.write('\r');
					this.out.write('\n');
				}
				this.out.flush();
				return read();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("no reply from " + this.node + " to " + command[0], ex);
			}
		}

		private @Nullable String read() throws IOException {
			int type = this.in.read();
			String line = readLine();
			switch (type) {
				case '+', ':' -> {
					return line;
				}
				case '-' -> throw new ErrorReply(line);
				case '$' -> {
					int length = Integer.parseInt(line);
					if (length < 0) {
						return null;
					}
					byte[] bytes = this.in.readNBytes(length + 2);
					if (bytes.length < length + 2) {
						throw new EOFException("bulk string cut short");
					}
					return new String(bytes, 0, length, StandardCharsets.UTF_8);
				}
				case '*' -> {
					int count = Integer.parseInt(line);
					if (count < 0) {
						return null;
					}
					List<String> elements = new ArrayList<>();
					for (int i = 0; i < count; i++) {
						elements.add(String.valueOf(read()));
					}
					return String.join("\n", elements);
				}
				case -1 -> throw new EOFException("connection closed");
				default -> throw new IOException("not a RESP reply: " + (char) type + line);
			}
		}

		private String readLine() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			int previous = -1;
			int current;
			while ((current = this.in.read()) != -1) {
				if (previous == '\r' && current == '\n') {
					byte[] bytes = line.toByteArray();
					return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
				}
				line.write(current);
				previous = current;
			}
			throw new EOFException("connection closed");
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Nothing left to release.
			}
		}

	}

	/** One line of {@code CLUSTER NODES}: who a node is and what it serves. */
	private record NodeEntry(Node node, Set<String> flags, List<String> slots) {

		// <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv>
		// <config-epoch> <link-state> <slot>...
		static NodeEntry parse(String line) {
			String[] fields = line.split(" ");
			String address = fields[1];
			int port = Integer
				.parseInt(address.substring(address.lastIndexOf(':', address.indexOf('@')) + 1, address.indexOf('@')));
			List<String> slots = Arrays.stream(fields, 8, fields.length)
				.filter((slot) -> !slot.startsWith("[")) // importing or migrating
				.toList();
			return new NodeEntry(new Node(port), Set.of(fields[2].split(",")), slots);
		}

		boolean serves(int slot) {
			for (String range : this.slots) {
				int dash = range.indexOf('-');
				int first = Integer.parseInt((dash < 0) ? range : range.substring(0, dash));
				int last = (dash < 0) ? first : Integer.parseInt(range.substring(dash + 1));
				if (slot >= first && slot <= last) {
					return true;
				}
			}
			return false;
		}

		int firstSlot() {
			String range = this.slots.get(0);
			int dash = range.indexOf('-');
			return Integer.parseInt((dash < 0) ? range : range.substring(0, dash));
		}

	}

	/** One node's view of the cluster, from its {@code CLUSTER NODES}. */
	private record Topology(List<NodeEntry> entries) {

		static Topology parse(@Nullable String clusterNodes) {
			return new Topology(
					lines(clusterNodes).stream().filter((line) -> !line.isBlank()).map(NodeEntry::parse).toList());
		}

		@Nullable NodeEntry entry(Node node) {
			return this.entries.stream().filter((entry) -> entry.node().equals(node)).findFirst().orElse(null);
		}

		List<NodeEntry> servingMasters() {
			return this.entries.stream()
				.filter((entry) -> entry.flags().contains("master") && !entry.slots().isEmpty())
				.filter((entry) -> !entry.flags().contains("fail"))
				.sorted(Comparator.comparingInt(NodeEntry::firstSlot))
				.toList();
		}

		List<Node> masters() {
			return servingMasters().stream().map(NodeEntry::node).toList();
		}

		@Nullable Node owner(int slot) {
			return servingMasters().stream()
				.filter((entry) -> entry.serves(slot))
				.map(NodeEntry::node)
				.findFirst()
				.orElse(null);
		}

		/**
		 * Who serves which slots, e.g. {@code 127.0.0.1:10001=[0-5460] ...}: comparable
		 * across views.
		 */
		String owners() {
			return servingMasters().stream()
				.map((entry) -> entry.node() + "=" + entry.slots())
				.collect(Collectors.joining(" "));
		}

	}

	/** Holder of the JVM's shared cluster: started on first use, closed at exit. */
	private static final class Shared {

		static final RedisClusterSupport INSTANCE = new RedisClusterSupport(6, 1, SHARED_NODE_TIMEOUT);

	}

}
