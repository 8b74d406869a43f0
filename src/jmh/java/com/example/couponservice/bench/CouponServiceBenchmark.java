package com.example.couponservice.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

import com.example.couponservice.bench.BenchFixtures.Wired;
import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponService;
import com.example.couponservice.coupon.CouponService.Lookup;
import com.example.couponservice.coupon.CouponService.Redemption;
import com.example.couponservice.coupon.CouponTemplate;

/**
 * {@link CouponService} with the in-memory store, below HTTP. One service is shared by
 * all threads of a benchmark, so {@link Contended} (2 threads on this 2-core machine)
 * shows what the shared map, pool and counters cost under contention.
 * <ul>
 * <li>{@code generate}: one plain coupon. The pool (10,000 codes, refilled in the
 * background) drains within milliseconds at this rate, so most codes come on demand; the
 * split is printed after each iteration. A new, empty service each iteration.
 * <li>{@code generateBulk}: 10,000 coupons in one call (target: at most 50 ms).
 * <li>{@code status}, {@code redeemRepeat}: look up / redeem again codes of a store that
 * holds {@value #STORED} coupons (unused / already redeemed without reference).
 * <li>{@code redeemFresh}: first redemptions. A code can be redeemed for the first time
 * only once, so each iteration times one batch of {@value #FRESH_BATCH} fresh codes per
 * thread (single-shot, reported per redemption).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class CouponServiceBenchmark {

	/** No expiry, no campaign, no metadata. */
	static final CouponTemplate PLAIN = new CouponTemplate(null, null, Map.of(), null);

	/** Coupons in the store for the lookup and repeat benchmarks: the memory target. */
	static final int STORED = 1_000_000;

	/** Fresh codes each thread redeems in one iteration of {@code redeemFresh}. */
	static final int FRESH_BATCH = 100_000;

	@Benchmark
	public Coupon generate(Generation state) {
		return state.wired.service().generate(PLAIN);
	}

	@Benchmark
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	public int generateBulk(Generation state) {
		return state.wired.service().generateBulk(BenchFixtures.BULK_MAX, PLAIN).size();
	}

	@Benchmark
	public Lookup status(Unused state, Cursor cursor) {
		return state.wired.service().status(state.codes[cursor.next(state.codes.length)]);
	}

	@Benchmark
	public Redemption redeemRepeat(Redeemed state, Cursor cursor) {
		return state.wired.service().redeem(state.codes[cursor.next(state.codes.length)], null, null, null);
	}

	@Benchmark
	@BenchmarkMode(Mode.SingleShotTime)
	@OperationsPerInvocation(FRESH_BATCH)
	@Warmup(iterations = 10)
	@Measurement(iterations = 20)
	public void redeemFresh(Fresh state, Blackhole blackhole) {
		CouponService service = state.wired.service();
		int from = state.slices.getAndIncrement() * FRESH_BATCH;
		for (int i = from; i < from + FRESH_BATCH; i++) {
			blackhole.consume(service.redeem(state.codes[i], null, null, null));
		}
	}

	@Threads(1)
	public static class Uncontended extends CouponServiceBenchmark {

	}

	@Threads(2)
	public static class Contended extends CouponServiceBenchmark {

	}

	/** A new, empty service each iteration, so the store does not grow without bound. */
	@State(Scope.Benchmark)
	public static class Generation {

		Wired wired;

		@Setup(Level.Iteration)
		public void setUp() {
			this.wired = BenchFixtures.newService();
		}

		@TearDown(Level.Iteration)
		public void tearDown() {
			long pool = this.wired.generated("pool");
			long onDemand = this.wired.generated("on_demand");
			if (pool + onDemand > 0) {
				System.out.printf("  (generate: %d from the pool, %d on demand, %.1f%% on demand)%n", pool, onDemand,
						100.0 * onDemand / (pool + onDemand));
			}
			this.wired.close();
		}

	}

	/** {@value #STORED} unused coupons. */
	@State(Scope.Benchmark)
	public static class Unused {

		Wired wired;

		String[] codes;

		@Setup(Level.Trial)
		public void setUp() {
			this.wired = BenchFixtures.newService();
			this.codes = BenchFixtures.generateCodes(this.wired.service(), STORED);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.wired.close();
		}

	}

	/** {@value #STORED} coupons, each already redeemed once without a reference. */
	@State(Scope.Benchmark)
	public static class Redeemed {

		Wired wired;

		String[] codes;

		@Setup(Level.Trial)
		public void setUp() {
			this.wired = BenchFixtures.newService();
			this.codes = BenchFixtures.generateCodes(this.wired.service(), STORED);
			for (String code : this.codes) {
				this.wired.service().redeem(code, null, null, null);
			}
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.wired.close();
		}

	}

	/**
	 * {@value #FRESH_BATCH} unused coupons for each thread, new every iteration; each
	 * thread takes its own slice.
	 */
	@State(Scope.Benchmark)
	public static class Fresh {

		Wired wired;

		String[] codes;

		AtomicInteger slices;

		@Setup(Level.Iteration)
		public void setUp(BenchmarkParams params) {
			this.wired = BenchFixtures.newService();
			this.codes = BenchFixtures.generateCodes(this.wired.service(), params.getThreads() * FRESH_BATCH);
			this.slices = new AtomicInteger();
		}

		@TearDown(Level.Iteration)
		public void tearDown() {
			this.wired.close();
		}

	}

	/** Walks the code list; the threads start half a list apart. */
	@State(Scope.Thread)
	public static class Cursor {

		private int position;

		@Setup(Level.Trial)
		public void setUp(ThreadParams thread) {
			this.position = (int) ((long) STORED * thread.getThreadIndex() / thread.getThreadCount());
		}

		int next(int length) {
			int current = this.position;
			this.position = (current + 1 < length) ? current + 1 : 0;
			return current;
		}

	}

}
