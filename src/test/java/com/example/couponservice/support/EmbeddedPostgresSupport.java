package com.example.couponservice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

import com.example.couponservice.CouponServiceApplication;

/**
 * A real PostgreSQL server for tests, from zonky's embedded binaries, so tests need
 * neither Docker nor an installed database.
 * <p>
 * {@link #shared()} is one server per JVM, started on first use and stopped when the JVM
 * exits; each test class takes its own {@link #createDatabase() fresh database} in it, so
 * classes never see each other's rows. A test that needs to take the database away
 * ({@link #stop()}, then {@link #start()}) uses a {@link #startDedicated() dedicated}
 * server instead, so it does not pull the floor from under other classes' cached
 * application contexts. A restarted server listens on the same port and keeps its data
 * directory, as a real database restart does, so connection pools pointed at it reconnect
 * by themselves.
 * <p>
 * As root (containers, CI images) zonky runs the server through {@code unshare -U},
 * because PostgreSQL refuses to run as root.
 */
public final class EmbeddedPostgresSupport implements AutoCloseable {

	/** The superuser zonky's {@code initdb} creates; local connections are trusted. */
	public static final String USER = "postgres";

	private static final AtomicInteger databaseCounter = new AtomicInteger();

	private final Path dataDirectory;

	private int port;

	@Nullable private EmbeddedPostgres server;

	private EmbeddedPostgresSupport() {
		try {
			this.dataDirectory = Files.createTempDirectory("coupon-pg-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create a data directory for PostgreSQL", ex);
		}
		start();
	}

	/** The server of this JVM, started on first use. */
	public static EmbeddedPostgresSupport shared() {
		return Shared.INSTANCE;
	}

	/** A server of the caller's own, to {@link #stop()} at will and {@link #close()}. */
	public static EmbeddedPostgresSupport startDedicated() {
		return new EmbeddedPostgresSupport();
	}

	/**
	 * Start the server, or restart a stopped one on its old port and data directory;
	 * returns once it accepts connections.
	 */
	public synchronized void start() {
		if (this.server != null) {
			return;
		}
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(this.dataDirectory)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			// Room for the pools of several cached application contexts and a
			// 64-thread race at the same time.
			.setServerConfig("max_connections", "300");
		if (this.port != 0) {
			builder.setPort(this.port);
		}
		try {
			this.server = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("PostgreSQL did not start", ex);
		}
		this.port = this.server.getPort();
	}

	/** Stop the server (fast shutdown: open connections are cut), keeping its data. */
	public synchronized void stop() {
		if (this.server == null) {
			return;
		}
		try {
			this.server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("PostgreSQL did not stop", ex);
		}
		finally {
			this.server = null;
		}
	}

	/**
	 * Kill the server as a crash would: SIGKILL to the postmaster, no shutdown. Its
	 * backends exit when they notice, and the next {@link #start()} runs crash recovery
	 * on the same data directory.
	 */
	public synchronized void kill() {
		if (this.server == null) {
			return;
		}
		try {
			String pid = Files.readAllLines(this.dataDirectory.resolve("postmaster.pid")).get(0).trim();
			ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(pid))
				.orElseThrow(() -> new IllegalStateException("no postmaster process " + pid));
			postmaster.destroyForcibly();
			postmaster.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
			// Releases zonky's lock on the data directory; its "pg_ctl stop" finds no
			// server.
			this.server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the postmaster pid", ex);
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("the postmaster did not die", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while killing PostgreSQL", ex);
		}
		finally {
			this.server = null;
		}
	}

	public synchronized boolean isRunning() {
		return this.server != null;
	}

	public synchronized int port() {
		return this.port;
	}

	/** The JDBC URL of {@code database}; it stays valid across restarts. */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://localhost:" + port() + "/" + database;
	}

	/** Create an empty database with a name not used before in this JVM. */
	public String createDatabase() {
		String name = "coupons_" + databaseCounter.incrementAndGet();
		JdbcClient.create(dataSource("postgres")).sql("CREATE DATABASE " + name).update();
		return name;
	}

	/** An unpooled data source of {@code database}: every connection is a new one. */
	public DataSource dataSource(String database) {
		return new DriverManagerDataSource(jdbcUrl(database), USER, "");
	}

	/**
	 * Point a Spring Boot test's DataSource (and Flyway) at {@code database}, for use in
	 * a {@code @DynamicPropertySource} method.
	 */
	public void registerDataSource(DynamicPropertyRegistry registry, String database) {
		registry.add("spring.datasource.url", () -> jdbcUrl(database));
		registry.add("spring.datasource.username", () -> USER);
		registry.add("spring.datasource.password", () -> "");
	}

	/**
	 * Start the whole service in the {@code postgres} profile on a random port against
	 * {@code database}; command-line arguments outrank application-postgres.properties.
	 */
	public ConfigurableApplicationContext startService(String database, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + jdbcUrl(database),
				"--spring.datasource.username=" + USER, "--spring.datasource.password="));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(CouponServiceApplication.class).profiles("postgres")
			.run(all.toArray(String[]::new));
	}

	/** Stop the server and delete its data. */
	@Override
	public synchronized void close() {
		stop();
		try {
			FileSystemUtils.deleteRecursively(this.dataDirectory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot delete " + this.dataDirectory, ex);
		}
	}

	/**
	 * Points a test context's DataSource (and Flyway) at a new database of the
	 * {@link #shared() shared server}: one database per distinct cached context.
	 */
	public static final class FreshDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			EmbeddedPostgresSupport postgres = shared();
			TestPropertyValues
				.of("spring.datasource.url=" + postgres.jdbcUrl(postgres.createDatabase()),
						"spring.datasource.username=" + USER, "spring.datasource.password=")
				.applyTo(context);
		}

	}

	/** Holder of the JVM's shared server: started on first use, closed at exit. */
	private static final class Shared {

		static final EmbeddedPostgresSupport INSTANCE = new EmbeddedPostgresSupport();

		static {
			Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close, "embedded-postgres-shutdown"));
		}

	}

}
