package com.example.couponservice.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import com.example.couponservice.coupon.CodeGenerator;

/**
 * {@link CodeGenerator}: one code, and a pool refill batch of 256. One generator is
 * shared by all threads, as in the service, so the contended variant shows what two
 * threads drawing from one {@link SecureRandom} cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class CodeGeneratorBenchmark {

	/** The pool filler's batch size (CodePool.REFILL_BATCH). */
	static final int REFILL_BATCH = 256;

	private CodeGenerator generator;

	@Setup
	public void setUp() {
		this.generator = new CodeGenerator(new SecureRandom());
	}

	@Benchmark
	public String next() {
		return this.generator.next();
	}

	/** Time for the whole batch of 256 codes. */
	@Benchmark
	public String[] next256() {
		return this.generator.next(REFILL_BATCH);
	}

	@Threads(1)
	public static class Uncontended extends CodeGeneratorBenchmark {

	}

	@Threads(2)
	public static class Contended extends CodeGeneratorBenchmark {

	}

}
