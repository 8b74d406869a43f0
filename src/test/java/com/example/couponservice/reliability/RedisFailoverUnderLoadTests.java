package com.example.couponservice.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.example.couponservice.CouponServiceApplication;
import com.example.couponservice.support.LettuceClusterClients;
import com.example.couponservice.support.RedisClusterSupport;
import com.example.couponservice.support.RedisClusterSupport.Node;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis master is killed (SIGKILL) while clients redeem fresh codes through the service
 * in the {@code redis} profile, on a cluster of its own (three masters, one replica
 * each). The cluster promotes the replica; the killed node is started again, as a
 * supervisor would, and rejoins as the replica of its successor; the clients go on.
 * <p>
 * Every client sends each of its codes with a reference and, after a 503, sends it again
 * with the same reference once {@code Retry-After} has passed, as the problem document
 * tells it to. Afterwards every redemption answered 200 is {@code USED} in the cluster
 * with the time and reference the client was told, none was redeemed twice, every other
 * answer was a 503 problem document saying the change may or may not have been applied,
 * and the slots of the killed master answer 200 again without a restart of the service.
 */
// Not while the shared test contexts start: two Spring Boot applications initialising
// logging at the same moment can fail one of them (see RedisRateLimitTests).
@ResourceLock("ServiceTest")
@ResourceLock("RateLimitedServiceTest")
class RedisFailoverUnderLoadTests {

	private static final int CLIENTS = 8;

	/**
	 * Each client sends at most one request per period, so the run needs the same codes
	 * on a quiet machine as on a busy one: at most 400 requests a second.
	 */
	private static final Duration PERIOD = Duration.ofMillis(20);

	private static final int CODES = 8_000;

	private static final int BULK = 2_000;

	private static final String CAMPAIGN = "failover";

	private static final String KEY_PREFIX = "coupon:";

	/** Bounds every wait of the test; a healthy run needs a few seconds per step. */
	private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

	/** Redemptions acknowledged before the kill, and after the recovery. */
	private static final int WARM_UP = 300;

	/** Redemptions of the killed master's slots acknowledged after it rejoined. */
	private static final int RECOVERED = 100;

	private static final String UNAVAILABLE = "/problems/service-unavailable";

	private static final String MAY_OR_MAY_NOT = "may or may not have been applied: retry with the same reference";

	private static final Pattern WAIT_CALLS = Pattern.compile("cmdstat_wait:calls=(\\d+)");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final RedisClusterSupport cluster = RedisClusterSupport.startDedicated();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

	private final AtomicBoolean running = new AtomicBoolean(true);

	private @Nullable ConfigurableApplicationContext app;

	private @Nullable RedisClusterClient redis;

	@AfterEach
	void stop() throws InterruptedException {
		this.running.set(false);
		this.clients.shutdownNow();
		try {
			this.clients.awaitTermination(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			if (this.redis != null) {
				this.redis.shutdown();
			}
			if (this.app != null) {
				this.app.close();
			}
		}
		finally {
			this.cluster.close();
		}
	}

	@Test
	void aMasterKilledUnderLoadCostsAvailabilityOfItsSlotsButNoAcknowledgedRedemption() throws Exception {
		this.app = new SpringApplicationBuilder(CouponServiceApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.data.redis.cluster.nodes=" + this.cluster.nodes(),
					"--coupon.redis.key-prefix=" + KEY_PREFIX, "--coupon.rate-limit.redeem.capacity=0",
					"--coupon.rate-limit.status.capacity=0", "--coupon.rate-limit.redeem.network-capacity=0",
					"--coupon.rate-limit.status.network-capacity=0");
		String base = "http://127.0.0.1:" + this.app.getEnvironment().getRequiredProperty("local.server.port");
		Queue<String> fresh = new ConcurrentLinkedQueue<>();
		for (int generated = 0; generated < CODES; generated += BULK) {
			fresh.addAll(generate(base, Math.min(BULK, CODES - generated)));
		}
		String probe = fresh.peek();
		Node victim = this.cluster.masterOf(key(probe));
		// As docs/deploy.md recommends: the other masters go on serving their slots
		// while the killed master's have none (by default every master answers
		// CLUSTERDOWN from the moment one is flagged failing until its replica took
		// over).
		for (Node node : this.cluster.allNodes()) {
			this.cluster.call(node, "CONFIG", "SET", "cluster-require-full-coverage", "no");
		}
		List<Node> replicas = this.cluster.replicasOf(victim);
		assertThat(replicas).hasSize(1);
		Node successor = replicas.get(0);
		this.redis = LettuceClusterClients.create(this.cluster.nodes());
		BitSet victimSlots = slotsOf(this.redis, victim);

		Queue<Answer> answers = new ConcurrentLinkedQueue<>();
		long started = System.nanoTime();
		List<Future<Integer>> workers = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			workers.add(this.clients.submit(() -> redeemUntilStopped(base, fresh, answers)));
		}
		awaitAnswers(answers, (answer) -> answer.status() == 200, WARM_UP);

		this.cluster.kill(victim);
		long killed = System.nanoTime();
		this.cluster.awaitFailoverOf(victim);
		long failedOver = System.nanoTime();
		assertThat(this.cluster.masterOf(key(probe))).isEqualTo(successor);
		// The service finds the successor, which has no replica yet: every change there
		// waits in vain for its acknowledgement and answers 503, although it was made.
		awaitWaitCalls(successor, 1);
		long routed = System.nanoTime();
		// Each change waits on a connection of its own, so a replica that comes online
		// within wait-timeout confirms all the pending ones: wait until some have
		// answered 503 before the supervisor brings the node back.
		awaitAnswers(answers, (answer) -> answer.isUnavailableProblem() && answer.sent() - routed > 0, CLIENTS / 2);
		// The supervisor starts the node again; it loads its AOF and nodes.conf and
		// rejoins as the replica of its successor.
		this.cluster.restart(victim);
		long restarted = System.nanoTime();
		this.cluster.call(victim, "CONFIG", "SET", "cluster-require-full-coverage", "no");
		this.cluster.awaitReplicaOf(successor);
		long rejoined = System.nanoTime();
		this.cluster.awaitHealthy();
		awaitAnswers(answers, (answer) -> answer.status() == 200 && answer.sent() - rejoined > 0
				&& victimSlots.get(slot(answer.code())), RECOVERED);
		awaitAnswers(answers, (answer) -> answer.status() == 200 && answer.sent() - rejoined > 0, WARM_UP);
		this.running.set(false);
		int unresolved = 0;
		for (Future<Integer> worker : workers) {
			unresolved += worker.get(2 * STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		long finished = System.nanoTime();
		assertHealth(base, 200);

		List<Answer> all = answers.stream().sorted(Comparator.comparingLong(Answer::sent)).toList();
		Map<String, List<Answer>> byCode = all.stream()
			.collect(Collectors.groupingBy(Answer::code, LinkedHashMap::new, Collectors.toList()));
		Map<String, Map<String, String>> stored = readCoupons(this.redis, byCode.keySet());
		Map<String, Long> redeemedEvents = countRedeemedEvents(this.redis, byCode.keySet());
		JsonNode stats = get(base + "/campaigns/" + CAMPAIGN + "/stats");

		List<Answer> ok = all.stream().filter((answer) -> answer.status() == 200).toList();
		List<Answer> unavailable = all.stream().filter(Answer::isUnavailableProblem).toList();
		List<Answer> other = all.stream()
			.filter((answer) -> answer.status() != 200 && !answer.isUnavailableProblem())
			.toList();
		Predicate<Answer> onVictim = (answer) -> victimSlots.get(slot(answer.code()));
		long firstVictimOk = ok.stream()
			.filter((answer) -> answer.sent() - killed > 0 && onVictim.test(answer))
			.mapToLong(Answer::received)
			.min()
			.orElse(finished);
		long lastUnavailable = unavailable.stream().mapToLong(Answer::received).max().orElse(killed);
		long servedMeanwhile = count(ok,
				(answer) -> answer.sent() - killed > 0 && answer.received() - rejoined < 0 && !onVictim.test(answer));
		long appliedDespite503 = ok.stream().filter(Answer::alreadyRedeemed).count();
		long notAppliedAfter503 = byCode.values()
			.stream()
			.filter((answersOfCode) -> answersOfCode.get(0).status() == 503)
			.count() - appliedDespite503;
		System.out.printf("""
				Redis master killed under load: %d clients, %d of %d codes redeemed in %d ms, %d requests:
				  %d answered 200 (%d first redemptions, %d repeats of a redemption answered 503 that had been made;
				      %d on the other masters' slots between the kill and the rejoin)
				  %d answered 503 (%d sent before the failover, %d until the old master was a replica again, %d after;
				      %d on the slots of the other masters; slowest %d ms); %d codes answered 503 had not been redeemed
				  %d other answers, %d codes left unresolved
				  after the kill: failover %d ms, the service at the successor %d ms, node restarted %d ms,
				      its replica online %d ms, first 200 on the killed master's slots %d ms, last 503 %d ms
				  in the cluster: %d of them USED, campaign counts %s
				""", CLIENTS, byCode.size(), CODES, millis(finished - started), all.size(), ok.size(),
				ok.size() - appliedDespite503, appliedDespite503, servedMeanwhile, unavailable.size(),
				count(unavailable, (answer) -> answer.sent() - failedOver < 0),
				count(unavailable, (answer) -> answer.sent() - failedOver >= 0 && answer.sent() - rejoined < 0),
				count(unavailable, (answer) -> answer.sent() - rejoined >= 0), count(unavailable, onVictim.negate()),
				unavailable.stream().mapToLong(Answer::tookMillis).max().orElse(0), notAppliedAfter503, other.size(),
				unresolved, millis(failedOver - killed), millis(routed - killed), millis(restarted - killed),
				millis(rejoined - killed), millis(firstVictimOk - killed), millis(lastUnavailable - killed),
				stored.values().stream().filter((fields) -> "USED".equals(fields.get("s"))).count(),
				stats.get("counts"));

		assertThat(other).as("answers other than 200 and 503 problem documents").isEmpty();
		assertThat(unavailable).as("503s during the failover").isNotEmpty();
		assertThat(servedMeanwhile).as("redemptions on the other masters during the failover").isPositive();
		assertThat(unavailable).allSatisfy((answer) -> {
			assertThat(answer.detail()).contains(MAY_OR_MAY_NOT);
			assertThat(answer.retryAfter()).isEqualTo("1");
			// The command timeout (spring.data.redis.timeout, 2 s) bounds every wait.
			assertThat(answer.tookMillis()).isLessThan(3_000);
		});
		assertThat(unresolved).as("codes still answered 503 after the recovery").isZero();
		// The successor ran WAITs in vain: those redemptions were made, answered 503, and
		// their retries found them made.
		assertThat(appliedDespite503).isPositive();
		byCode.forEach((code, answersOfCode) -> {
			Answer last = answersOfCode.get(answersOfCode.size() - 1);
			assertThat(last.status()).as(code).isEqualTo(200);
			List<Answer> okOfCode = answersOfCode.stream().filter((answer) -> answer.status() == 200).toList();
			// One first redemption; a repeat only as the retry of a 503; one time for
			// all.
			assertThat(okOfCode.stream().filter((answer) -> !answer.alreadyRedeemed())).as(code).hasSizeLessThan(2);
			assertThat(okOfCode.stream().map(Answer::redeemedAt).distinct()).as(code).hasSize(1);
			if (last.alreadyRedeemed()) {
				assertThat(answersOfCode.get(0).status()).as(code).isEqualTo(503);
			}
			Map<String, String> coupon = stored.get(code);
			assertThat(coupon).as(code)
				.containsEntry("s", "USED")
				.containsEntry("ref", reference(code))
				.containsEntry("ra", Long.toString(Instant.parse(last.redeemedAt()).toEpochMilli()));
			assertThat(redeemedEvents.get(code)).as(code).isEqualTo(1L);
		});
		assertThat(stats.get("counts").get("USED").asLong()).isEqualTo(byCode.size());
		assertThat(stats.get("counts").get("UNUSED").asLong()).isEqualTo(CODES - byCode.size());
		assertThat(lastUnavailable - rejoined).as("503s after the old master rejoined")
			.isLessThan(Duration.ofSeconds(3).toNanos());
	}

	/**
	 * One client: fresh codes from {@code fresh}, each with its own reference, until
	 * stopped; a code that got a 503 is sent again, with the same reference, once its
	 * {@code Retry-After} has passed; after the stop, those still open are retried until
	 * they get another answer. Returns the codes left with a 503.
	 */
	private int redeemUntilStopped(String base, Queue<String> fresh, Queue<Answer> answers) {
		Deque<Retry> retries = new ArrayDeque<>();
		long next = System.nanoTime();
		while (this.running.get()) {
			LockSupport.parkNanos(next - System.nanoTime());
			next = Math.max(next + PERIOD.toNanos(), System.nanoTime());
			Retry due = retries.peekFirst();
			String code;
			if (due != null && System.nanoTime() - due.notBefore() >= 0) {
				code = retries.removeFirst().code();
			}
			else {
				code = fresh.poll();
				if (code == null) {
					break;
				}
			}
			redeem(base, code, answers, retries);
		}
		long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
		while (!retries.isEmpty() && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
			Retry retry = retries.removeFirst();
			// The client honours Retry-After.
			LockSupport.parkNanos(retry.notBefore() - System.nanoTime());
			redeem(base, retry.code(), answers, retries);
		}
		return retries.size();
	}

	private void redeem(String base, String code, Queue<Answer> answers, Deque<Retry> retries) {
		Answer answer = Answer.of(code, this.http, URI.create(base + "/redeem-coupon"));
		answers.add(answer);
		if (answer.status() == 503) {
			long retryAfter = (answer.retryAfter() != null) ? Long.parseLong(answer.retryAfter()) : 1;
			retries.addLast(new Retry(code, answer.received() + TimeUnit.SECONDS.toNanos(retryAfter)));
		}
	}

	private static String reference(String code) {
		return "order-" + code;
	}

	/** The key of a coupon's hash: the shard (first two characters) is its hash tag. */
	private static String key(@Nullable String code) {
		assertThat(code).isNotNull();
		return KEY_PREFIX + "{" + code.substring(0, 2) + "}:c:" + code;
	}

	private static int slot(String code) {
		return RedisClusterSupport.slotOf(key(code));
	}

	private static BitSet slotsOf(RedisClusterClient client, Node master) {
		BitSet slots = new BitSet(RedisClusterSupport.SLOTS);
		for (RedisClusterNode node : client.getPartitions()) {
			if (node.getUri().getPort() == master.port()) {
				node.getSlots().forEach(slots::set);
			}
		}
		assertThat(slots.cardinality()).as("slots of " + master).isPositive();
		return slots;
	}

	/** Each coupon's hash as its master has it, pipelined. */
	private static Map<String, Map<String, String>> readCoupons(RedisClusterClient client, Iterable<String> codes)
			throws Exception {
		try (StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8)) {
			RedisAdvancedClusterAsyncCommands<String, String> commands = connection.async();
			Map<String, CompletableFuture<Map<String, String>>> replies = new LinkedHashMap<>();
			codes.forEach((code) -> replies.put(code, commands.hgetall(key(code)).toCompletableFuture()));
			Map<String, Map<String, String>> coupons = new LinkedHashMap<>();
			for (Map.Entry<String, CompletableFuture<Map<String, String>>> reply : replies.entrySet()) {
				coupons.put(reply.getKey(), reply.getValue().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
			}
			return coupons;
		}
	}

	/** How many {@code REDEEMED} events each coupon's stored history holds. */
	private static Map<String, Long> countRedeemedEvents(RedisClusterClient client, Iterable<String> codes)
			throws Exception {
		try (StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8)) {
			RedisAdvancedClusterAsyncCommands<String, String> commands = connection.async();
			Map<String, CompletableFuture<List<String>>> replies = new LinkedHashMap<>();
			codes.forEach((code) -> replies.put(code,
					commands.lrange(KEY_PREFIX + "{" + code.substring(0, 2) + "}:e:" + code, 0, -1)
						.toCompletableFuture()));
			Map<String, Long> counts = new LinkedHashMap<>();
			for (Map.Entry<String, CompletableFuture<List<String>>> reply : replies.entrySet()) {
				counts.put(reply.getKey(),
						reply.getValue()
							.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
							.stream()
							.filter((event) -> "REDEEMED".equals(json.readTree(event).get("k").asString()))
							.count());
			}
			return counts;
		}
	}

	/** Wait until {@code node} has run {@code count} {@code WAIT} commands. */
	private void awaitWaitCalls(Node node, int count) {
		await().atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> {
			Matcher calls = WAIT_CALLS.matcher(String.valueOf(this.cluster.call(node, "INFO", "commandstats")));
			return calls.find() && Long.parseLong(calls.group(1)) >= count;
		});
	}

	private static void awaitAnswers(Queue<Answer> answers, Predicate<Answer> which, int count) {
		await().atMost(STEP_TIMEOUT)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> answers.stream().filter(which).limit(count).count() == count);
	}

	private static long count(List<Answer> answers, Predicate<Answer> which) {
		return answers.stream().filter(which).count();
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	private List<String> generate(String base, int count) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(base + "/generate-coupons"))
			.timeout(STEP_TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"count\":" + count + ",\"campaign\":\"" + CAMPAIGN + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		List<String> codes = new ArrayList<>();
		json.readTree(response.body()).get("codes").forEach((code) -> codes.add(code.asString()));
		return codes;
	}

	private JsonNode get(String url) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(url)).timeout(STEP_TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private void assertHealth(String base, int status) {
		HttpRequest readiness = HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))
			.timeout(STEP_TIMEOUT)
			.build();
		await().atMost(STEP_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == status);
	}

	/** A code that got a 503, to send again from {@code notBefore} (nano time) on. */
	private record Retry(String code, long notBefore) {
	}

	/**
	 * One answer to a redemption: when it was sent and received (nano time), its status,
	 * and what the body said.
	 */
	private record Answer(String code, long sent, long received, int status, boolean alreadyRedeemed,
			@Nullable String redeemedAt, @Nullable String contentType, @Nullable String problemType,
			@Nullable String detail, @Nullable String retryAfter) {

		static Answer of(String code, HttpClient http, URI uri) {
			long sent = System.nanoTime();
			HttpResponse<String> response;
			try {
				response = http.send(HttpRequest.newBuilder(uri)
					.timeout(STEP_TIMEOUT)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers
						.ofString("{\"code\":\"" + code + "\",\"reference\":\"" + reference(code) + "\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				return new Answer(code, sent, System.nanoTime(), -1, false, null, null, null, ex.toString(), null);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new Answer(code, sent, System.nanoTime(), -1, false, null, null, null, "interrupted", null);
			}
			long received = System.nanoTime();
			String contentType = response.headers().firstValue("Content-Type").orElse(null);
			String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
			JsonNode body;
			try {
				body = json.readTree(response.body());
			}
			catch (JacksonException ex) {
				return new Answer(code, sent, received, response.statusCode(), false, null, contentType, null,
						response.body(), retryAfter);
			}
			if (response.statusCode() == 200) {
				return new Answer(code, sent, received, 200, body.get("alreadyRedeemed").asBoolean(),
						body.get("redeemedAt").asString(), contentType, null, null, retryAfter);
			}
			return new Answer(code, sent, received, response.statusCode(), false, null, contentType,
					(body.get("type") != null) ? body.get("type").asString() : null,
					(body.get("detail") != null) ? body.get("detail").asString() : response.body(), retryAfter);
		}

		boolean isUnavailableProblem() {
			return this.status == 503 && this.contentType != null
					&& this.contentType.startsWith("application/problem+json") && UNAVAILABLE.equals(this.problemType);
		}

		long tookMillis() {
			return TimeUnit.NANOSECONDS.toMillis(this.received - this.sent);
		}

	}

}
