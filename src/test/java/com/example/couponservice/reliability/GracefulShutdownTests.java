package com.example.couponservice.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

import com.example.couponservice.CouponServiceApplication;
import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponStatus;
import com.example.couponservice.coupon.CouponStore;
import com.example.couponservice.support.RawHttp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the application context (what SIGTERM does through Boot's shutdown hook) while
 * clients keep redeeming. {@code server.shutdown=graceful} must make Tomcat stop taking
 * connections, finish the requests it has, and only then stop; readiness must report
 * REFUSING_TRAFFIC before any of that.
 * <p>
 * Two lifecycle hooks watch from inside: one stops just before the graceful-shutdown
 * phase (readiness must already be REFUSING_TRAFFIC, and the probe must say so over
 * HTTP), one just after the web server's stop phase (the port must be closed; it then
 * reads the in-memory store, which still exists). One redemption is held in a filter
 * until Tomcat has stopped accepting, so a request is certainly in flight during the
 * graceful shutdown. Every response a client received must be complete, and every
 * redemption acknowledged with 200 must be USED in the store.
 */
class GracefulShutdownTests {

	private static final String HOLD_HEADER = "X-Test-Hold";

	private static final int CLIENTS = 4;

	private static final int CODES = 3000;

	private final JsonMapper json = JsonMapper.builder().build();

	private final CountDownLatch held = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	private final CountDownLatch acknowledgedEnough = new CountDownLatch(100);

	private final AtomicBoolean closing = new AtomicBoolean();

	private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();

	private volatile ReadinessState readinessBeforeGracefulShutdown;

	private volatile Exchange readinessProbeBeforeGracefulShutdown;

	private volatile boolean portClosedAfterWebServerStop;

	private volatile Map<String, CouponStatus> storeAfterWebServerStop;

	private volatile List<String> codes = List.of();

	private int port;

	@Test
	void closingWhileRedeemingFinishesInFlightRequestsAndLosesNoAcknowledgedRedemption() throws Exception {
		ConfigurableApplicationContext context = start();
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
		Queue<String> codes = generate(CODES);
		this.codes = List.copyOf(codes);
		String heldCode = codes.poll();

		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 2);
		List<Future<?>> runs = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			runs.add(clients.submit(() -> redeemUntilRefused(codes)));
		}
		Future<Exchange> heldRedemption = clients.submit(() -> redeem(heldCode, HOLD_HEADER + ": yes"));
		assertThat(this.held.await(20, TimeUnit.SECONDS)).as("held request reached the filter").isTrue();
		awaitAcknowledgements(runs);
		Future<?> releaser = clients.submit(this::releaseOnceTomcatStopsAccepting);

		this.closing.set(true);
		context.close();

		clients.shutdown();
		assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
		releaser.get();
		for (Future<?> run : runs) {
			run.get();
		}
		Exchange heldExchange = heldRedemption.get();

		assertThat(this.readinessBeforeGracefulShutdown).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		assertThat(this.readinessProbeBeforeGracefulShutdown.status()).as("readiness probe over HTTP").isEqualTo(503);
		assertThat(this.portClosedAfterWebServerStop).as("port closed once the web server stopped").isTrue();
		assertThat(heldExchange.status()).as("the request held through graceful shutdown").isEqualTo(200);

		List<Exchange> all = new ArrayList<>(this.exchanges);
		all.add(heldExchange);
		List<String> acknowledged = new ArrayList<>();
		int refused = 0;
		for (Exchange exchange : all) {
			assertThat(exchange.truncated()).as("truncated response for %s: %s", exchange.code(), exchange.raw())
				.isFalse();
			if (!exchange.answered()) {
				refused++;
				continue;
			}
			assertThat(exchange.status()).as("answer for %s: %s", exchange.code(), exchange.raw()).isEqualTo(200);
			JsonNode body = exchange.body();
			assertThat(body.get("code").asString()).isEqualTo(exchange.code());
			assertThat(body.get("alreadyRedeemed").asBoolean()).isFalse();
			assertThat(body.get("redeemedAt").asString()).isNotBlank();
			acknowledged.add(exchange.code());
		}
		assertThat(refused).as("every client ended on a refused connection").isEqualTo(CLIENTS);
		Map<String, CouponStatus> store = this.storeAfterWebServerStop;
		assertThat(store).as("store read after the web server stopped").isNotNull();
		for (String code : acknowledged) {
			assertThat(store.get(code)).as("acknowledged redemption of %s", code).isEqualTo(CouponStatus.USED);
		}
		long used = store.values().stream().filter(CouponStatus.USED::equals).count();
		assertThat(used).as("no redemption the store kept went unanswered").isEqualTo(acknowledged.size());
		System.out.printf(Locale.ROOT,
				"GracefulShutdownTests: %d redemptions acknowledged, %d USED in the store after the web server "
						+ "stopped, %d clients refused after close%n",
				acknowledged.size(), used, refused);
	}

	private ConfigurableApplicationContext start() {
		// Command-line arguments, so they override application.properties.
		return new SpringApplicationBuilder(CouponServiceApplication.class).registerShutdownHook(false)
			.initializers((ConfigurableApplicationContext context) -> register((GenericApplicationContext) context))
			.run("--server.port=0", "--server.address=127.0.0.1", "--coupon.rate-limit.redeem.capacity=1000000",
					"--coupon.rate-limit.redeem.network-capacity=0", "--spring.main.banner-mode=off");
	}

	private void register(GenericApplicationContext context) {
		Filter hold = (request, response, chain) -> {
			if (request instanceof HttpServletRequest http && http.getHeader(HOLD_HEADER) != null) {
				this.held.countDown();
				try {
					this.release.await(20, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			chain.doFilter(request, response);
		};
		context.registerBean("holdFilter", FilterRegistrationBean.class, () -> new FilterRegistrationBean<>(hold));
		context.registerBean("beforeGracefulShutdown", SmartLifecycle.class,
				() -> new Hook(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 512, () -> {
					this.readinessBeforeGracefulShutdown = context.getBean(ApplicationAvailability.class)
						.getReadinessState();
					this.readinessProbeBeforeGracefulShutdown = exchange(
							"GET /actuator/health/readiness HTTP/1.1\r\nHost: localhost\r\n\r\n", null);
				}));
		context.registerBean("afterWebServerStop", SmartLifecycle.class,
				() -> new Hook(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024, () -> {
					this.portClosedAfterWebServerStop = !accepting();
					CouponStore store = context.getBean(CouponStore.class);
					Map<String, CouponStatus> statuses = new HashMap<>();
					for (String code : this.codes) {
						store.find(code).map(Coupon::status).ifPresent((status) -> statuses.put(code, status));
					}
					this.storeAfterWebServerStop = statuses;
				}));
	}

	/**
	 * Waits for 100 acknowledged redemptions; a client that stopped early fails the test
	 * with its cause.
	 */
	private void awaitAcknowledgements(List<Future<?>> runs) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!this.acknowledgedEnough.await(50, TimeUnit.MILLISECONDS)) {
			for (Future<?> run : runs) {
				if (run.isDone()) {
					run.get();
					throw new AssertionError("a client stopped before the context was closed");
				}
			}
			assertThat(System.nanoTime()).as("100 redemptions acknowledged within 30 s").isLessThan(deadline);
		}
	}

	/** Redeems fresh codes one after another until the server refuses the connection. */
	private void redeemUntilRefused(Queue<String> codes) {
		String code;
		while ((code = codes.poll()) != null) {
			Exchange exchange = redeem(code);
			this.exchanges.add(exchange);
			if (exchange.status() == 200) {
				this.acknowledgedEnough.countDown();
			}
			if (!exchange.answered() && this.closing.get()) {
				return;
			}
		}
		throw new AssertionError("ran out of codes before the server refused a connection");
	}

	/** Lets the held request go on once Tomcat has stopped accepting connections. */
	private void releaseOnceTomcatStopsAccepting() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (accepting()) {
			assertThat(System.nanoTime()).as("Tomcat stops accepting within 20 s").isLessThan(deadline);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
		}
		this.release.countDown();
	}

	private boolean accepting() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private Queue<String> generate(int count) {
		String body = "{\"count\":" + count + "}";
		Exchange bulk = exchange(
				"POST /generate-coupons HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Content-Length: " + body.length() + "\r\n\r\n" + body,
				null);
		assertThat(bulk.status()).isEqualTo(201);
		Queue<String> codes = new ConcurrentLinkedQueue<>();
		bulk.body().get("codes").forEach((code) -> codes.add(code.asString()));
		return codes;
	}

	private Exchange redeem(String code, String... headers) {
		String body = "{\"code\":\"" + code + "\"}";
		StringBuilder request = new StringBuilder("POST /redeem-coupon HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		return exchange(request.append("\r\n").append(body).toString(), code);
	}

	/**
	 * One request on its own connection ({@code Connection: close}), read to the end. A
	 * refused or reset connection with no byte received is no answer; some bytes but not
	 * a whole response is a truncated one.
	 */
	private Exchange exchange(String request, String code) {
		int headEnd = request.indexOf("\r\n\r\n");
		byte[] bytes = (request.substring(0, headEnd) + "\r\nConnection: close" + request.substring(headEnd))
			.getBytes(StandardCharsets.UTF_8);
		byte[] received = new byte[0];
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 2000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(bytes);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream buffer = new ByteArrayOutputStream();
			try {
				in.transferTo(buffer);
			}
			finally {
				received = buffer.toByteArray();
			}
		}
		catch (ConnectException ex) {
			return Exchange.none(code);
		}
		catch (IOException ex) {
			if (received.length == 0) {
				return Exchange.none(code);
			}
		}
		return Exchange.parse(code, new String(received, StandardCharsets.UTF_8), this.json);
	}

	/** What one request got back. */
	record Exchange(String code, boolean answered, boolean truncated, int status, String raw, JsonNode body) {

		static Exchange none(String code) {
			return new Exchange(code, false, false, 0, "", null);
		}

		static Exchange parse(String code, String raw, JsonMapper json) {
			int headEnd = raw.indexOf("\r\n\r\n");
			if (headEnd < 0) {
				return new Exchange(code, raw.length() > 0, raw.length() > 0, 0, raw, null);
			}
			String head = raw.substring(0, headEnd).toLowerCase(Locale.ROOT);
			String body = raw.substring(headEnd + 4);
			int status = Integer.parseInt(head.substring(9, 12));
			if (head.contains("\r\ntransfer-encoding: chunked")) {
				if (!body.endsWith("0\r\n\r\n")) {
					return new Exchange(code, true, true, status, raw, null);
				}
				body = RawHttp.Response.dechunk(body);
			}
			else {
				int at = head.indexOf("\r\ncontent-length: ");
				if (at >= 0) {
					int end = head.indexOf("\r\n", at + 2);
					String length = head.substring(at + 18, (end < 0) ? head.length() : end).trim();
					if (body.getBytes(StandardCharsets.UTF_8).length != Integer.parseInt(length)) {
						return new Exchange(code, true, true, status, raw, null);
					}
				}
			}
			try {
				return new Exchange(code, true, false, status, raw, json.readTree(body));
			}
			catch (RuntimeException ex) {
				return new Exchange(code, true, true, status, raw, null);
			}
		}

	}

	/** Runs {@code onStop} when the context stops its lifecycle phase {@code phase}. */
	static final class Hook implements SmartLifecycle {

		private final int phase;

		private final Runnable onStop;

		private volatile boolean running;

		Hook(int phase, Runnable onStop) {
			this.phase = phase;
			this.onStop = onStop;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.onStop.run();
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
