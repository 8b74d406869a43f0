import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Redis reference figures that redis-benchmark cannot give: a write followed by
 * {@code WAIT} on the same connection, pipelined in one round trip, as the service's
 * {@code ClusterScripts} sends every change ("Acknowledged means replicated" in
 * docs/design.md). redis-benchmark sends one command per request, and a {@code WAIT}
 * inside {@code MULTI} or a script does not block, so it cannot measure this.
 * <p>
 * Run by bench/redis/run.sh as a single-file program ({@code java RespLoad.java ...}):
 * <pre>
 * java RespLoad.java PORT CONNECTIONS WARMUP_S SECONDS MODE TAG [SHA] [ACKS] [WAIT_MS]
 *   MODE set            SET {TAG}k:RANDOM v                   (calibration against redis-benchmark's SET)
 *        set-wait       SET {TAG}k:RANDOM v, WAIT ACKS WAIT_MS
 *        evalsha-wait   EVALSHA SHA 1 {TAG}c:RANDOM NOW, WAIT ACKS WAIT_MS
 * </pre>
 * CONNECTIONS connections to 127.0.0.1:PORT (one master; TAG must hash to a slot it
 * serves) served by one thread and a selector, as redis-benchmark does (a thread per
 * connection spends two cores on context switches); random keys out of 100,000 as
 * redis-benchmark's {@code -r 100000}. Each connection has one request (one or two
 * commands) in flight at a time.
 * Prints one line: {@code RESP_RESULT requests=.. rps=.. p50_us=.. p99_us=.. errors=..
 * short_waits=..} where short_waits counts {@code WAIT}s that returned fewer than ACKS
 * replicas (the service would have answered those 503).
 */
public final class RespLoad {

	private static final int KEYSPACE = 100_000;

	/** Latency histogram: 10 us buckets up to 1 s, the last one holds everything slower. */
	private static final int BUCKET_US = 10;

	private static final int BUCKETS = 100_000;

	private final String mode;

	private final String tag;

	private final String sha;

	private final String acks;

	private final String waitMillis;

	private final long[] histogram = new long[BUCKETS];

	private final SplittableRandom random = new SplittableRandom();

	private long errors;

	private long shortWaits;

	private RespLoad(String mode, String tag, String sha, String acks, String waitMillis) {
		this.mode = mode;
		this.tag = tag;
		this.sha = sha;
		this.acks = acks;
		this.waitMillis = waitMillis;
	}

	public static void main(String[] args) throws IOException {
		if (args.length < 6) {
			System.err.println("usage: java RespLoad.java PORT CONNECTIONS WARMUP_S SECONDS MODE TAG [SHA] [ACKS] [WAIT_MS]");
			System.exit(2);
		}
		String mode = args[4];
		String sha = (args.length > 6) ? args[6] : "";
		if (!List.of("set", "set-wait", "evalsha-wait").contains(mode) || (mode.equals("evalsha-wait") && sha.isEmpty())) {
			System.err.println("MODE is set, set-wait or evalsha-wait (which needs SHA)");
			System.exit(2);
		}
		RespLoad load = new RespLoad(mode, "{" + args[5] + "}", sha, (args.length > 7) ? args[7] : "1",
				(args.length > 8) ? args[8] : "500");
		long seconds = Long.parseLong(args[3]);
		long requests = load.run(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
				Long.parseLong(args[2]) * 1_000_000_000L, seconds * 1_000_000_000L);
		System.out.printf("RESP_RESULT mode=%s requests=%d rps=%.1f p50_us=%d p99_us=%d errors=%d short_waits=%d%n", mode,
				requests, requests / (double) seconds, load.percentile(requests, 0.50), load.percentile(requests, 0.99),
				load.errors, load.shortWaits);
	}

	/** One connection: its request in flight, when it was sent, and what came back so far. */
	private static final class Connection {

		final SocketChannel channel;

		ByteBuffer out = ByteBuffer.allocate(0);

		final ByteArrayOutputStream in = new ByteArrayOutputStream();

		int pendingReplies;

		long sentAt;

		Connection(SocketChannel channel) {
			this.channel = channel;
		}

	}

	private long run(int port, int connections, long warmupNanos, long runNanos) throws IOException {
		long measureFrom = System.nanoTime() + warmupNanos;
		long measureTo = measureFrom + runNanos;
		long requests = 0;
		try (Selector selector = Selector.open()) {
			for (int i = 0; i < connections; i++) {
				SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				channel.configureBlocking(false);
				Connection connection = new Connection(channel);
				SelectionKey key = channel.register(selector, SelectionKey.OP_READ, connection);
				send(connection);
				flush(connection, key);
			}
			ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
			while (true) {
				long now = System.nanoTime();
				if (now - measureTo >= 0) {
					break;
				}
				selector.select(Math.max(1, (measureTo - now) / 1_000_000));
				for (SelectionKey key : selector.selectedKeys()) {
					Connection connection = (Connection) key.attachment();
					if (key.isWritable()) {
						flush(connection, key);
					}
					if (!key.isReadable()) {
						continue;
					}
					buffer.clear();
					int read = connection.channel.read(buffer);
					if (read < 0) {
						throw new IOException("connection closed by the server");
					}
					connection.in.write(buffer.array(), 0, read);
					if (complete(connection)) {
						long done = System.nanoTime();
						if (connection.sentAt - measureFrom >= 0 && done - measureTo < 0) {
							this.histogram[(int) Math.min(BUCKETS - 1, (done - connection.sentAt) / 1000 / BUCKET_US)]++;
							requests++;
						}
						send(connection);
						flush(connection, key);
					}
				}
				selector.selectedKeys().clear();
			}
			for (SelectionKey key : selector.keys()) {
				key.channel().close();
			}
		}
		return requests;
	}

	private void send(Connection connection) {
		String key = String.format("%012d", this.random.nextInt(KEYSPACE));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
		switch (this.mode) {
			case "set" -> {
				command(bytes, "SET", this.tag + "k:" + key, "v");
				connection.pendingReplies = 1;
			}
			case "set-wait" -> {
				command(bytes, "SET", this.tag + "k:" + key, "v");
				command(bytes, "WAIT", this.acks, this.waitMillis);
				connection.pendingReplies = 2;
			}
			default -> {
				command(bytes, "EVALSHA", this.sha, "1", this.tag + "c:" + key, Long.toString(System.currentTimeMillis()));
				command(bytes, "WAIT", this.acks, this.waitMillis);
				connection.pendingReplies = 2;
			}
		}
		connection.out = ByteBuffer.wrap(bytes.toByteArray());
		connection.sentAt = System.nanoTime();
	}

	private static void flush(Connection connection, SelectionKey key) throws IOException {
		connection.channel.write(connection.out);
		key.interestOps(connection.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
	}

	/** Whether every reply of the request in flight has arrived; counts errors and short WAITs. */
	private boolean complete(Connection connection) {
		byte[] data = connection.in.toByteArray();
		int position = 0;
		int replies = 0;
		while (replies < connection.pendingReplies) {
			int end = parse(data, position);
			if (end < 0) {
				return false;
			}
			if (data[position] == '-') {
				this.errors++;
			}
			else if (replies == 1 && data[position] == ':'
					&& Long.parseLong(new String(data, position + 1, end - position - 3, StandardCharsets.US_ASCII)) < Long
						.parseLong(this.acks)) {
				this.shortWaits++;
			}
			position = end;
			replies++;
		}
		connection.in.reset();
		connection.in.write(data, position, data.length - position);
		return true;
	}

	/** The end of the reply that starts at {@code from}, or -1 when it is incomplete. */
	private static int parse(byte[] data, int from) {
		if (from >= data.length) {
			return -1;
		}
		int eol = lineEnd(data, from);
		if (eol < 0) {
			return -1;
		}
		String header = new String(data, from + 1, eol - from - 1, StandardCharsets.US_ASCII);
		int next = eol + 2;
		switch (data[from]) {
			case '+', '-', ':' -> {
				return next;
			}
			case '$' -> {
				int length = Integer.parseInt(header);
				if (length < 0) {
					return next;
				}
				return (next + length + 2 <= data.length) ? next + length + 2 : -1;
			}
			case '*' -> {
				int count = Integer.parseInt(header);
				for (int i = 0; i < count && next >= 0; i++) {
					next = parse(data, next);
				}
				return next;
			}
			default -> throw new IllegalStateException("not a RESP reply: " + (char) data[from]);
		}
	}

	private static int lineEnd(byte[] data, int from) {
		for (int i = from; i + 1 < data.length; i++) {
			if (data[i] == '\r' && data[i + 1] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private long percentile(long total, double p) {
		long wanted = (long) Math.ceil(total * p);
		long seen = 0;
		for (int b = 0; b < BUCKETS; b++) {
			seen += this.histogram[b];
			if (seen >= wanted && wanted > 0) {
				return (long) b * BUCKET_US + BUCKET_US / 2;
			}
		}
		return 0;
	}

	private static void command(ByteArrayOutputStream out, String... parts) {
		out.writeBytes(('*' + Integer.toString(parts.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (String part : parts) {
			byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
			out.writeBytes(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.writeBytes(bytes);
			out.writeBytes(new byte[] { '\r', '\n' });
		}
	}

}
