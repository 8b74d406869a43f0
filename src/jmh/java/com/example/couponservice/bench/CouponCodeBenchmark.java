package com.example.couponservice.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import com.example.couponservice.coupon.CouponCode;

/**
 * {@link CouponCode#normalise}: a canonical code as clients that copy codes send it, and
 * one typed by a person (lower case, a dash, surrounding spaces). The inputs are fields,
 * not constants, so the JIT cannot fold the call away.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class CouponCodeBenchmark {

	private String canonical = "ABCD2345";

	private String typed = " abcd-2345 ";

	@Benchmark
	public String normaliseCanonical() {
		return CouponCode.normalise(this.canonical);
	}

	@Benchmark
	public String normaliseTyped() {
		return CouponCode.normalise(this.typed);
	}

	@Threads(1)
	public static class Uncontended extends CouponCodeBenchmark {

	}

	@Threads(2)
	public static class Contended extends CouponCodeBenchmark {

	}

}
