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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.example.couponservice.support.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of coupons with the largest metadata the API accepts, into the in-memory store
 * of a service with a small heap and the recommended {@code -XX:+ExitOnOutOfMemoryError}:
 * the store's default budget (a share of the heap, counted in estimated bytes) runs out
 * first, generation answers 507, and the process lives on with every coupon it took.
 */
class MemoryFloodTests {

	/**
	 * 16 entries of a 40-character key and a 256-character value: the documented maxima.
	 */
	private static final String MAXIMAL = maximalBody();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void maximalCouponsFillTheBudgetAndGet507WhileTheProcessLives() throws Exception {
		try (ServiceProcess service = ServiceProcess.start(Map.of(),
				List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"), "--coupon.pool.size=100",
				"--coupon.pool.refill-threshold=50")) {
			assertThat(service.port()).as(service.output()).isPositive();
			URI generate = URI.create("http://127.0.0.1:" + service.port() + "/generate-coupon");
			AtomicInteger created = new AtomicInteger();
			AtomicInteger full = new AtomicInteger();
			AtomicInteger other = new AtomicInteger();
			AtomicBoolean stop = new AtomicBoolean();
			ExecutorService clients = Executors.newFixedThreadPool(4);
			List<Future<?>> runs = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				runs.add(clients.submit(() -> {
					// Well past what 40 % of a 96 MB heap holds at ~13 KB a coupon.
					while (!stop.get() && created.get() + full.get() < 20_000) {
						int status = send(HttpRequest.newBuilder(generate)
							.header("Content-Type", "application/json")
							.POST(BodyPublishers.ofString(MAXIMAL))).statusCode();
						if (status == 201) {
							created.incrementAndGet();
						}
						else if (status == 507) {
							// A few more once full, then stop: the store stays full.
							if (full.incrementAndGet() >= 50) {
								stop.set(true);
							}
						}
						else {
							other.incrementAndGet();
							stop.set(true);
						}
					}
					return null;
				}));
			}
			for (Future<?> run : runs) {
				run.get();
			}
			clients.shutdown();
			System.out.printf("memory flood: %d maximal coupons stored, then %d answers 507, %d other%n", created.get(),
					full.get(), other.get());

			assertThat(other.get()).as(service.output()).isZero();
			assertThat(full.get()).isGreaterThanOrEqualTo(50);
			assertThat(created.get()).isPositive();
			assertThat(service.isAlive()).as(service.output()).isTrue();
			HttpResponse<String> health = send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/actuator/health/liveness")));
			assertThat(health.statusCode()).isEqualTo(200);
		}
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
	}

	private static String maximalBody() {
		StringBuilder json = new StringBuilder("{\"ttl\":\"P30D\",\"campaign\":\"").append("c".repeat(64))
			.append("\",\"metadata\":{");
		for (int i = 0; i < 16; i++) {
			String key = String.format("%02d", i) + "k".repeat(38);
			json.append((i > 0) ? "," : "")
				.append('"')
				.append(key)
				.append("\":\"")
				.append("\u00e9".repeat(256))
				.append('"');
		}
		return json.append("}}").toString();
	}

}
