package com.example.couponservice.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.example.couponservice.support.EmbeddedPostgresSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database process is killed (SIGKILL) while clients redeem, then started again:
 * during the outage requests get fast 503 problem documents, afterwards the service
 * recovers without a restart, and every redemption answered 200 is in the database.
 */
class PostgresKillUnderLoadTests {

	private static final int CLIENTS = 8;

	private final EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.startDedicated();

	private final String database = this.postgres.createDatabase();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private ConfigurableApplicationContext app;

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
		this.postgres.close();
	}

	@Test
	void aKilledDatabaseCostsAvailabilityButNoAcknowledgedRedemption() throws Exception {
		// A shorter wait for a connection than production's 2 s, so the outage costs the
		// test less time; the bound on a 503 below is production's.
		this.app = this.postgres.startService(this.database, "--coupon.rate-limit.redeem.capacity=0",
				"--coupon.rate-limit.status.capacity=0", "--coupon.rate-limit.redeem.network-capacity=0",
				"--coupon.rate-limit.status.network-capacity=0", "--spring.datasource.hikari.connection-timeout=500");
		String base = "http://127.0.0.1:" + this.app.getEnvironment().getRequiredProperty("local.server.port");
		ConcurrentLinkedQueue<String> codes = new ConcurrentLinkedQueue<>(generate(base, 3_000));

		AtomicBoolean running = new AtomicBoolean(true);
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		AtomicInteger sent = new AtomicInteger();
		AtomicInteger unavailable = new AtomicInteger();
		AtomicInteger other = new AtomicInteger();
		AtomicLong slowest503 = new AtomicLong();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> workers = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			workers.add(clients.submit(() -> {
				String code;
				while (running.get() && (code = codes.poll()) != null) {
					long started = System.nanoTime();
					HttpResponse<String> response = post(base + "/redeem-coupon", "{\"code\":\"" + code + "\"}");
					long millis = (System.nanoTime() - started) / 1_000_000;
					sent.incrementAndGet();
					if (response.statusCode() == 200) {
						acknowledged.add(code);
					}
					else if (response.statusCode() == 503
							&& response.headers()
								.firstValue("Content-Type")
								.orElse("")
								.startsWith("application/problem+json")
							&& response.body().contains("/problems/service-unavailable")) {
						unavailable.incrementAndGet();
						slowest503.accumulateAndGet(millis, Math::max);
					}
					else {
						other.incrementAndGet();
					}
				}
				return null;
			}));
		}
		awaitCount(() -> acknowledged.size() >= 200);
		this.postgres.kill();
		int acknowledgedAtKill = acknowledged.size();
		awaitCount(() -> unavailable.get() >= 2 * CLIENTS);
		assertHealth(base, 503);
		this.postgres.start();
		int unavailableAtRestart = unavailable.get();
		awaitCount(() -> acknowledged.size() >= acknowledgedAtKill + 200);
		running.set(false);
		for (Future<?> client : workers) {
			client.get();
		}
		clients.shutdown();
		assertHealth(base, 200);

		JdbcClient jdbc = JdbcClient.create(this.postgres.dataSource(this.database));
		Set<String> used = Set
			.copyOf(jdbc.sql("SELECT code FROM coupon WHERE status = 'USED'").query(String.class).list());
		System.out.printf(
				"kill under load: %d requests, %d answered 200, %d answered 503 (slowest %d ms), %d other; "
						+ "%d redemptions in the database; %d 503s after the restart began%n",
				sent.get(), acknowledged.size(), unavailable.get(), slowest503.get(), other.get(), used.size(),
				unavailable.get() - unavailableAtRestart);
		assertThat(used).containsAll(acknowledged);
		assertThat(other.get()).isZero();
		assertThat(slowest503.get()).isLessThan(Duration.ofSeconds(3).toMillis());
		assertThat(sent.get()).isEqualTo(acknowledged.size() + unavailable.get());
	}

	private List<String> generate(String base, int count) throws Exception {
		HttpResponse<String> response = post(base + "/generate-coupons", "{\"count\":" + count + "}");
		assertThat(response.statusCode()).isEqualTo(201);
		String codes = response.body().substring(response.body().indexOf('[') + 1, response.body().indexOf(']'));
		return List.of(codes.replace("\"", "").split(","));
	}

	private HttpResponse<String> post(String url, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private void assertHealth(String base, int status) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		int last;
		do {
			last = this.http
				.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness")).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		while (last != status && System.nanoTime() < deadline);
		assertThat(last).isEqualTo(status);
	}

	private static void awaitCount(java.util.function.BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

}
