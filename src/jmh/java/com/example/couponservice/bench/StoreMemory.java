package com.example.couponservice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import javax.management.JMException;
import javax.management.ObjectName;

import com.example.couponservice.coupon.CodeGenerator;
import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.Attempt;
import com.example.couponservice.coupon.CouponCode;
import com.example.couponservice.coupon.InMemoryCouponStore;

/**
 * Live heap of the in-memory store: fills an {@link InMemoryCouponStore} with fresh
 * coupons, forces full collections, and prints the heap used before and after, bytes per
 * coupon, and the top of the class histogram. Run it with bench/memory/run.sh.
 * <p>
 * Arguments: {@code [count] [kind]}, count default 1,000,000; kind {@code plain} (the
 * default: no expiry, campaign or metadata, as POST /generate-coupon with no body makes),
 * {@code ttl} (each coupon with its own expiry), or {@code redeemed} (plain, then
 * redeemed with a reference).
 */
public final class StoreMemory {

	private static final int HISTOGRAM_LINES = 12;

	private StoreMemory() {
	}

	public static void main(String[] args) throws JMException {
		int count = (args.length > 0) ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
		String kind = (args.length > 1) ? args[1] : "plain";
		if (!kind.matches("plain|ttl|redeemed")) {
			throw new IllegalArgumentException("kind must be plain, ttl or redeemed, not " + kind);
		}
		// Allocated before the baseline so it is not counted: the codes, packed, for
		// redeemed.
		long[] packed = kind.equals("redeemed") ? new long[count] : new long[0];
		CodeGenerator generator = new CodeGenerator(new SecureRandom());
		Instant now = Instant.now();
		Instant expiry = now.plus(Duration.ofDays(30));

		long before = usedAfterFullGc();
		InMemoryCouponStore store = new InMemoryCouponStore(Long.MAX_VALUE, 100);
		int stored = 0;
		while (stored < count) {
			for (String code : generator.next(Math.min(256, count - stored))) {
				// Distinct expiries, so no two coupons could share one Extras object.
				Instant expiresAt = kind.equals("ttl") ? expiry.plusMillis(stored) : null;
				if (store.insert(Coupon.fresh(code, now.plusMillis(stored % 1000), expiresAt, null, Map.of()))) {
					if (kind.equals("redeemed")) {
						packed[stored] = CouponCode.pack(code);
					}
					stored++;
				}
			}
		}
		if (kind.equals("redeemed")) {
			Instant later = now.plusSeconds(60);
			for (long code : packed) {
				store.redeem(CouponCode.unpack(code), new Attempt(later, "order-" + Long.toHexString(code), null, null));
			}
		}
		long after = usedAfterFullGc();

		long delta = after - before;
		System.out.printf(Locale.ROOT, "java            %s (%s)%n", System.getProperty("java.version"),
				ManagementFactory.getRuntimeMXBean().getInputArguments());
		System.out.printf(Locale.ROOT, "coupons         %,d %s (store size %,d)%n", count, kind, store.size());
		System.out.printf(Locale.ROOT, "heap used       before %,d B, after %,d B (after full GCs)%n", before, after);
		System.out.printf(Locale.ROOT, "store           %,d B = %.1f MiB, %.1f bytes per coupon%n", delta,
				delta / (1024.0 * 1024.0), (double) delta / count);
		System.out.println("class histogram (live objects, top " + HISTOGRAM_LINES + "):");
		String[] histogram = classHistogram().split("\n");
		for (int i = 0; i < Math.min(histogram.length, HISTOGRAM_LINES + 2); i++) {
			System.out.println("  " + histogram[i]);
		}
		Reference.reachabilityFence(store);
		Reference.reachabilityFence(packed);
	}

	/** Heap in use after a few System.gc() calls, once it stops shrinking. */
	private static long usedAfterFullGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			long now = memory.getHeapMemoryUsage().getUsed();
			if (now >= used) {
				return now;
			}
			used = now;
		}
		return used;
	}

	/** What {@code jcmd <pid> GC.class_histogram} prints, from inside the JVM. */
	private static String classHistogram() throws JMException {
		ObjectName diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
		return (String) ManagementFactory.getPlatformMBeanServer()
			.invoke(diagnostics, "gcClassHistogram", new Object[] { new String[0] },
					new String[] { String[].class.getName() });
	}

}
