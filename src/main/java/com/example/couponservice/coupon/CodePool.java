package com.example.couponservice.coupon;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pre-filled queue of fresh codes, so generation rarely waits for the random source.
 * <p>
 * One background thread fills the queue; request threads only {@link #take() take} from
 * it and never block: when it is empty they draw a code on demand. Every code in the
 * queue, and every on-demand code until it is stored, is held in a reserved set, so no
 * two candidates handed out are ever the same; the store's atomic insert rejects a
 * candidate that is already stored.
 * <p>
 * A refill that fails (the random source throws) is logged and counted, the pool keeps
 * serving from on-demand generation, and the periodic check starts a new refill.
 */
public class CodePool implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(CodePool.class);

	private static final int REFILL_BATCH = 256;

	private final CodeGenerator generator;

	private final CouponMetrics metrics;

	private final Clock clock;

	private final int size;

	private final int refillThreshold;

	private final BlockingQueue<String> queue;

	private final Set<String> reserved = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean refillScheduled = new AtomicBoolean();

	private final ScheduledExecutorService filler;

	private volatile boolean lastRefillFailed;

	@Nullable private volatile Instant lastRefillFailure;

	public CodePool(CodeGenerator generator, CouponMetrics metrics, Clock clock, CouponProperties.Pool properties) {
		this.generator = generator;
		this.metrics = metrics;
		this.clock = clock;
		this.size = properties.size();
		this.refillThreshold = Math.min(properties.refillThreshold(), properties.size());
		this.queue = new ArrayBlockingQueue<>(Math.max(1, properties.size()));
		this.filler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "coupon-pool-filler");
			thread.setDaemon(true);
			return thread;
		});
		long interval = properties.checkInterval().toMillis();
		this.filler.scheduleWithFixedDelay(this::requestRefillIfLow, 0, interval, TimeUnit.MILLISECONDS);
	}

	/** A fresh candidate code; call {@link #release} once it is stored or dropped. */
	public Candidate take() {
		String code = this.queue.poll();
		if (code != null) {
			if (this.queue.size() < this.refillThreshold) {
				requestRefill();
			}
			return new Candidate(code, Source.POOL);
		}
		requestRefill();
		while (true) {
			String onDemand = this.generator.next();
			if (this.reserved.add(onDemand)) {
				return new Candidate(onDemand, Source.ON_DEMAND);
			}
			this.metrics.collision();
		}
	}

	/** Whether {@code code} is waiting in the pool or handed out and not yet stored. */
	public boolean isReserved(String code) {
		return this.reserved.contains(code);
	}

	/** Forget a candidate from {@link #take()}: it is stored or abandoned. */
	public void release(String code) {
		this.reserved.remove(code);
	}

	/** Codes waiting in the pool. */
	public int available() {
		return this.queue.size();
	}

	/** Codes the pool holds when full. */
	public int capacity() {
		return this.size;
	}

	/** Whether the most recent refill failed (cleared by the next one that succeeds). */
	public boolean isRefillFailing() {
		return this.lastRefillFailed;
	}

	@Nullable public Instant getLastRefillFailure() {
		return this.lastRefillFailure;
	}

	private void requestRefillIfLow() {
		if (this.queue.size() < this.refillThreshold || this.lastRefillFailed) {
			requestRefill();
		}
	}

	private void requestRefill() {
		if (this.size > 0 && this.refillScheduled.compareAndSet(false, true)) {
			this.filler.execute(this::refill);
		}
	}

	/** Fill the queue up to its size; runs on the filler thread only. */
	void refill() {
		try {
			int added = 0;
			while (this.queue.remainingCapacity() > 0) {
				for (String code : this.generator.next(Math.min(REFILL_BATCH, this.queue.remainingCapacity()))) {
					if (!this.reserved.add(code)) {
						this.metrics.collision();
					}
					else if (this.queue.offer(code)) {
						added++;
					}
					else {
						this.reserved.remove(code);
					}
				}
			}
			this.lastRefillFailed = false;
			logger.debug("Code pool refilled with {} codes, {} available", added, this.queue.size());
		}
		catch (RuntimeException ex) {
			// The filler thread must survive whatever the random source throws: log,
			// count, and let the periodic check try again.
			this.lastRefillFailed = true;
			this.lastRefillFailure = this.clock.instant();
			this.metrics.refillFailure();
			logger.error("Code pool refill failed; generation falls back to on-demand codes", ex);
		}
		finally {
			this.refillScheduled.set(false);
		}
	}

	@Override
	public void close() {
		this.filler.shutdownNow();
	}

	/** Where a candidate came from. */
	public enum Source {

		POOL, ON_DEMAND, BULK

	}

	/** A fresh code and where it came from. */
	public record Candidate(String code, Source source) {
	}

}
