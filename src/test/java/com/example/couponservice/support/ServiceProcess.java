package com.example.couponservice.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.couponservice.CouponServiceApplication;

/**
 * The service in a JVM of its own, started as an operator starts it: with environment
 * variables (a Kubernetes pod's, say), JVM flags (a small heap) and command-line
 * arguments, on a free port of 127.0.0.1. What a test cannot do inside its own JVM (set
 * environment variables, run out of heap) it does here, against the real application.
 */
public final class ServiceProcess implements AutoCloseable {

	private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	private final StringBuffer output = new StringBuffer();

	private int port;

	private ServiceProcess(Process process) {
		this.process = process;
		Thread reader = new Thread(this::readOutput, "service-process-output");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Start the service and wait until it listens or exits (then {@link #port()} is 0 and
	 * {@link #output()} says why), at most a minute.
	 */
	public static ServiceProcess start(Map<String, String> environment, List<String> jvmArguments,
			String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArguments);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), CouponServiceApplication.class.getName(),
				"--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		ServiceProcess service;
		try {
			service = new ServiceProcess(builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start the service", ex);
		}
		service.awaitStart(Duration.ofMinutes(1));
		return service;
	}

	private void readOutput() {
		try (InputStream in = this.process.getInputStream()) {
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				this.output.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			// The process is gone; what it wrote is in the buffer.
		}
	}

	private void awaitStart(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Matcher started = STARTED.matcher(this.output);
			if (started.find()) {
				this.port = Integer.parseInt(started.group(1));
				return;
			}
			if (!this.process.isAlive()) {
				awaitExit(Duration.ofSeconds(5));
				return;
			}
			sleep(50);
		}
		throw new IllegalStateException("the service neither started nor exited within " + timeout + ":\n" + output());
	}

	/** The port it listens on; 0 when it did not start. */
	public int port() {
		return this.port;
	}

	/** Everything it wrote so far, standard output and error. */
	public String output() {
		return this.output.toString();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Its exit code, once it has exited within {@code timeout}. */
	public int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("the service is still running after " + timeout);
			}
			// Let the reader drain what the process wrote last.
			sleep(100);
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** Stop it (SIGTERM, then SIGKILL after 10 s). */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
