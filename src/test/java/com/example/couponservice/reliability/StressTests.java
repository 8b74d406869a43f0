package com.example.couponservice.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import com.example.couponservice.coupon.CouponCode;
import com.example.couponservice.support.ServiceTest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.example.couponservice.support.Scrapes.delta;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded burst of mixed checkout traffic against one running server: 8 clients, each
 * doing a fixed number of generations (single and bulk), validations, redemptions (with
 * and without a reference, repeats, and a hot set of codes every client fights over),
 * reversals of what it redeemed, listings and status lookups. Afterwards the global
 * invariants must hold: generated codes are distinct and a listing visits each once; each
 * code was redeemed first once more than it was reversed, or as often; its status says
 * which; its history holds exactly one event per action that reached it; and the counters
 * on /actuator/prometheus moved by exactly what the clients saw. Throughput is printed,
 * not asserted.
 */
@ServiceTest
class StressTests {

	private static final int CLIENTS = 8;

	private static final int OPERATIONS_PER_CLIENT = 250;

	private static final int HOT_CODES = 5;

	private static final String CAMPAIGN = "stress";

	private static final String APP = "application=\"coupon-service\"";

	/** Events a coupon keeps (coupon.events.max-per-coupon). */
	private static final int MAX_EVENTS = 100;

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/** Every code a generation answered with, in order, duplicates kept. */
	private final List<String> generated = new CopyOnWriteArrayList<>();

	/** Per code: how often it was redeemed first (alreadyRedeemed:false). */
	private final Map<String, AtomicLong> firstRedemptions = new ConcurrentHashMap<>();

	/** Per code: how often a reversal put it back (alreadyReversed:false). */
	private final Map<String, AtomicLong> reversals = new ConcurrentHashMap<>();

	/** Per code: the actions that reached the coupon, so each wrote one event. */
	private final Map<String, AtomicLong> events = new ConcurrentHashMap<>();

	/**
	 * What the clients saw, keyed like the counters' tags ("redeem:conflict",
	 * "status:used", "validate:valid").
	 */
	private final Map<String, AtomicLong> seen = new ConcurrentHashMap<>();

	private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

	private final AtomicLong requests = new AtomicLong();

	@LocalServerPort
	int port;

	@Test
	void mixedCheckoutTrafficKeepsEveryInvariant() throws Exception {
		List<String> hot = generateBulk(HOT_CODES);
		String before = scrape();
		this.requests.set(0);

		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		long start = System.nanoTime();
		List<Future<?>> runs = new ArrayList<>();
		for (int client = 0; client < CLIENTS; client++) {
			int id = client;
			runs.add(clients.submit(() -> {
				runClient(id, hot);
				return null;
			}));
		}
		clients.shutdown();
		assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).as("clients finished in time").isTrue();
		long elapsedNanos = System.nanoTime() - start;
		for (Future<?> run : runs) {
			run.get();
		}
		String after = scrape();
		long total = this.requests.get();
		System.out.printf(Locale.ROOT,
				"StressTests: %d requests from %d clients in %d ms, %.0f requests/s; %d unexpected; "
						+ "%d first redemptions, %d repeats, %d conflicts, %d reversals, %d validations%n",
				total, CLIENTS, TimeUnit.NANOSECONDS.toMillis(elapsedNanos), total * 1e9 / elapsedNanos,
				this.unexpected.size(), count("redeem:redeemed"), count("redeem:already_redeemed"),
				count("redeem:conflict"), count("reverse:reversed"), count("validate:valid"));

		assertThat(this.unexpected).as("answers outside the contract").isEmpty();
		assertThat(total).isEqualTo((long) CLIENTS * OPERATIONS_PER_CLIENT);
		List<String> all = new ArrayList<>(hot);
		all.addAll(this.generated);
		assertThat(new HashSet<>(all)).as("distinct generated codes").hasSameSizeAs(all);
		assertThat(listAll()).as("a listing visits every code of the campaign once")
			.containsExactlyElementsOf(all.stream().sorted().toList());
		assertThat(this.firstRedemptions).as("every hot code was redeemed").containsKeys(hot.toArray(String[]::new));
		assertThat(count("redeem:conflict")).as("deliberate conflicts happened").isPositive();
		assertThat(count("redeem:already_redeemed")).as("safe repeats happened").isPositive();
		assertThat(count("reverse:reversed")).as("reversals happened").isPositive();

		assertCounters(before, after);
		for (String code : all) {
			long first = count(this.firstRedemptions, code);
			long back = count(this.reversals, code);
			assertThat(first - back).as("%s: first redemptions %d, reversals %d", code, first, back).isBetween(0L, 1L);
			JsonNode status = get("/coupon-status?code=" + code);
			assertThat(status.path("status").asString()).as(code).isEqualTo((first > back) ? "USED" : "UNUSED");
			JsonNode history = get("/coupons/" + code + "/events").path("events");
			assertThat(history.size()).as("%s: events", code)
				.isEqualTo((int) Math.min(MAX_EVENTS, 1 + count(this.events, code)));
		}
	}

	private void assertCounters(String before, String after) {
		double generatedDelta = 0;
		for (String source : new String[] { "pool", "on_demand", "bulk" }) {
			generatedDelta += delta(before, after, "coupon_generated_total{" + APP + ",source=\"" + source + "\"}");
		}
		assertThat(generatedDelta).as("coupon_generated_total").isEqualTo(this.generated.size());
		for (String outcome : new String[] { "redeemed", "already_redeemed", "conflict", "not_found", "invalid",
				"expired", "void", "customer_mismatch" }) {
			assertThat(delta(before, after, "coupon_redemptions_total{" + APP + ",outcome=\"" + outcome + "\"}"))
				.as("coupon_redemptions_total %s", outcome)
				.isEqualTo(count("redeem:" + outcome));
		}
		for (String result : new String[] { "unused", "used", "not_found", "invalid", "expired", "void" }) {
			assertThat(delta(before, after, "coupon_status_lookups_total{" + APP + ",result=\"" + result + "\"}"))
				.as("coupon_status_lookups_total %s", result)
				.isEqualTo(count("status:" + result));
		}
		for (String result : new String[] { "valid", "used", "not_found", "invalid" }) {
			assertThat(delta(before, after, "coupon_validations_total{" + APP + ",result=\"" + result + "\"}"))
				.as("coupon_validations_total %s", result)
				.isEqualTo(count("validate:" + result));
		}
		assertThat(delta(before, after, "coupon_reversals_total{" + APP + "}")).as("coupon_reversals_total")
			.isEqualTo(count("reverse:reversed"));
	}

	private void runClient(int id, List<String> hot) throws IOException, InterruptedException {
		SplittableRandom random = new SplittableRandom(1000 + id);
		/**
		 * What this client redeemed first, and with which reference: what it may reverse.
		 */
		List<String[]> mine = new ArrayList<>();
		for (int i = 0; i < OPERATIONS_PER_CLIENT; i++) {
			double op = random.nextDouble();
			if (op < 0.12) {
				generateOne();
			}
			else if (op < 0.16) {
				this.generated.addAll(generateBulk(1 + random.nextInt(5)));
			}
			else if (op < 0.46) {
				String reference = switch (random.nextInt(4)) {
					case 0 -> null;
					case 1 -> "order-" + random.nextInt(3);
					default -> "order-" + id + "-" + i;
				};
				String[] first = redeem(pick(random, hot), reference);
				if (first != null) {
					mine.add(first);
				}
			}
			else if (op < 0.56) {
				validate(pick(random, hot));
			}
			else if (op < 0.64 && !mine.isEmpty()) {
				String[] redeemed = mine.get(random.nextInt(mine.size()));
				reverse(redeemed[0], redeemed[1]);
			}
			else if (op < 0.66) {
				list();
			}
			else {
				status(pick(random, hot));
			}
		}
	}

	/** A hot code, a generated one, an unknown one, or one that is not a code. */
	private String pick(SplittableRandom random, List<String> hot) {
		double which = random.nextDouble();
		if (which < 0.25) {
			return hot.get(random.nextInt(hot.size()));
		}
		if (which < 0.85 && !this.generated.isEmpty()) {
			return this.generated.get(random.nextInt(this.generated.size()));
		}
		if (which < 0.95) {
			return CouponCode.unpack(random.nextLong(CouponCode.SPACE));
		}
		return "IIII-OOOO";
	}

	private void generateOne() throws IOException, InterruptedException {
		HttpResponse<String> response = send(post("/generate-coupon", "{\"campaign\":\"" + CAMPAIGN + "\"}"));
		if (expect(response, 201)) {
			this.generated.add(this.json.readTree(response.body()).path("code").asString());
		}
	}

	private List<String> generateBulk(int count) throws IOException, InterruptedException {
		HttpResponse<String> response = send(
				post("/generate-coupons", "{\"count\":" + count + ",\"campaign\":\"" + CAMPAIGN + "\"}"));
		List<String> codes = new ArrayList<>();
		if (expect(response, 201)) {
			this.json.readTree(response.body()).path("codes").forEach((code) -> codes.add(code.asString()));
		}
		return codes;
	}

	/** Returns the code and reference when this was the first redemption. */
	private String @Nullable [] redeem(String code, @Nullable String reference)
			throws IOException, InterruptedException {
		String body = (reference != null) ? "{\"code\":\"" + code + "\",\"reference\":\"" + reference + "\"}"
				: "{\"code\":\"" + code + "\"}";
		HttpResponse<String> response = send(post("/redeem-coupon", body));
		JsonNode answer = this.json.readTree(response.body());
		String outcome = switch (response.statusCode()) {
			case 200 -> answer.path("alreadyRedeemed").asBoolean() ? "already_redeemed" : "redeemed";
			case 404 -> "not_found";
			case 409 -> "/problems/coupon-already-redeemed".equals(answer.path("type").asString()) ? "conflict" : null;
			case 400 -> "/problems/invalid-coupon-code".equals(answer.path("type").asString()) ? "invalid" : null;
			default -> null;
		};
		if (outcome == null) {
			this.unexpected.add("redeem " + code + " -> " + response.statusCode() + " " + response.body());
			return null;
		}
		tally("redeem:" + outcome);
		if (response.statusCode() == 200 || response.statusCode() == 409) {
			String canonical = answer.path("code").asString();
			count(this.events, canonical, 1);
			if ("redeemed".equals(outcome)) {
				count(this.firstRedemptions, canonical, 1);
				return new String[] { canonical, reference };
			}
		}
		return null;
	}

	private void validate(String code) throws IOException, InterruptedException {
		HttpResponse<String> response = send(post("/validate-coupon", "{\"code\":\"" + code + "\"}"));
		JsonNode answer = this.json.readTree(response.body());
		if (response.statusCode() == 200) {
			String result = answer.path("valid").asBoolean() ? "valid" : answer.path("reason").asString();
			tally("validate:" + result);
			if (!"not_found".equals(result)) {
				count(this.events, answer.path("code").asString(), 1);
			}
		}
		else if (response.statusCode() == 400
				&& "/problems/invalid-coupon-code".equals(answer.path("type").asString())) {
			tally("validate:invalid");
		}
		else {
			this.unexpected.add("validate " + code + " -> " + response.statusCode() + " " + response.body());
		}
	}

	private void reverse(String code, @Nullable String reference) throws IOException, InterruptedException {
		String body = (reference != null) ? "{\"code\":\"" + code + "\",\"reference\":\"" + reference + "\"}"
				: "{\"code\":\"" + code + "\"}";
		HttpResponse<String> response = send(post("/reverse-redemption", body));
		JsonNode answer = this.json.readTree(response.body());
		String type = answer.path("type").asString();
		if (response.statusCode() == 200 && !answer.path("alreadyReversed").asBoolean()) {
			tally("reverse:reversed");
			count(this.reversals, code, 1);
			count(this.events, code, 1);
		}
		else if (response.statusCode() == 200 || (response.statusCode() == 409
				&& ("/problems/reference-mismatch".equals(type) || "/problems/coupon-not-redeemed".equals(type)))) {
			tally("reverse:refused");
		}
		else {
			this.unexpected.add("reverse " + code + " -> " + response.statusCode() + " " + response.body());
		}
	}

	private void list() throws IOException, InterruptedException {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(uri("/coupons?limit=20&campaign=" + CAMPAIGN)).GET());
		if (response.statusCode() != 200 || !this.json.readTree(response.body()).path("coupons").isArray()) {
			this.unexpected.add("list -> " + response.statusCode() + " " + response.body());
		}
	}

	private void status(String code) throws IOException, InterruptedException {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/coupon-status?code=" + code)).GET());
		if (response.statusCode() == 200) {
			tally("status:" + this.json.readTree(response.body()).path("status").asString().toLowerCase(Locale.ROOT));
		}
		else if (response.statusCode() == 400 && response.body().contains("/problems/invalid-coupon-code")) {
			tally("status:invalid");
		}
		else {
			this.unexpected.add("status " + code + " -> " + response.statusCode() + " " + response.body());
		}
	}

	/** Every code of the campaign, following next from page to page. */
	private List<String> listAll() throws IOException, InterruptedException {
		List<String> codes = new ArrayList<>();
		Set<String> pages = new HashSet<>();
		String after = "";
		while (after != null) {
			assertThat(pages.add(after)).as("no page twice").isTrue();
			JsonNode page = get("/coupons?limit=100&campaign=" + CAMPAIGN + (after.isEmpty() ? "" : "&after=" + after));
			page.path("coupons").forEach((coupon) -> codes.add(coupon.path("code").asString()));
			after = page.path("next").isNull() ? null : page.path("next").asString();
		}
		return codes;
	}

	private boolean expect(HttpResponse<String> response, int status) {
		if (response.statusCode() != status) {
			this.unexpected.add(response.request().uri() + " -> " + response.statusCode() + " " + response.body());
			return false;
		}
		return true;
	}

	private void tally(String key) {
		count(this.seen, key, 1);
	}

	private static void count(Map<String, AtomicLong> counts, String key, long by) {
		counts.computeIfAbsent(key, (k) -> new AtomicLong()).addAndGet(by);
	}

	private static long count(Map<String, AtomicLong> counts, String key) {
		AtomicLong value = counts.get(key);
		return (value != null) ? value.get() : 0;
	}

	private long count(String key) {
		return count(this.seen, key);
	}

	private HttpRequest.Builder post(String path, String body) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		this.requests.incrementAndGet();
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
	}

	private JsonNode get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private String scrape() throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(uri("/actuator/prometheus")).timeout(Duration.ofSeconds(10)).GET().build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
