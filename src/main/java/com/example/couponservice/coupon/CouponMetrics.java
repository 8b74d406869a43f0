package com.example.couponservice.coupon;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The coupon counters, registered once. Tag values come from enums, so their cardinality
 * is fixed: never a code or an IP address.
 */
public class CouponMetrics {

	private final Map<CodePool.Source, Counter> generated = new EnumMap<>(CodePool.Source.class);

	private final Map<RedemptionOutcome, Counter> redemptions = new EnumMap<>(RedemptionOutcome.class);

	private final Map<StatusLookupResult, Counter> lookups = new EnumMap<>(StatusLookupResult.class);

	private final Counter collisions;

	private final Counter refillFailures;

	private final Counter storeFull;

	private final Counter voided;

	public CouponMetrics(MeterRegistry registry) {
		for (CodePool.Source source : CodePool.Source.values()) {
			this.generated.put(source,
					Counter.builder("coupon.generated")
						.description("Coupons generated, by where their code came from")
						.tag("source", tagValue(source))
						.register(registry));
		}
		for (RedemptionOutcome outcome : RedemptionOutcome.values()) {
			this.redemptions.put(outcome,
					Counter.builder("coupon.redemptions")
						.description("Redemption attempts that reached the service, by outcome")
						.tag("outcome", tagValue(outcome))
						.register(registry));
		}
		for (StatusLookupResult result : StatusLookupResult.values()) {
			this.lookups.put(result,
					Counter.builder("coupon.status.lookups")
						.description("Status lookups, by the status reported")
						.tag("result", tagValue(result))
						.register(registry));
		}
		this.collisions = Counter.builder("coupon.generator.collisions")
			.description("Candidate codes discarded because they were already reserved or stored")
			.register(registry);
		this.refillFailures = Counter.builder("coupon.pool.refill.failures")
			.description("Background pool refills that failed")
			.register(registry);
		this.storeFull = Counter.builder("coupon.generation.rejected")
			.description("Generation requests rejected because the store is full")
			.tag("reason", "store_full")
			.register(registry);
		this.voided = Counter.builder("coupon.voided").description("Coupons voided").register(registry);
	}

	/** The counter of {@code key}; every key has one, registered in the constructor. */
	static <K extends Enum<K>> Counter counter(Map<K, Counter> counters, K key) {
		return Objects.requireNonNull(counters.get(key), key::name);
	}

	static String tagValue(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	void generated(CodePool.Source source, int count) {
		counter(this.generated, source).increment(count);
	}

	void redemption(RedemptionOutcome outcome) {
		counter(this.redemptions, outcome).increment();
	}

	void statusLookup(StatusLookupResult result) {
		counter(this.lookups, result).increment();
	}

	void collision() {
		this.collisions.increment();
	}

	void refillFailure() {
		this.refillFailures.increment();
	}

	void storeFull() {
		this.storeFull.increment();
	}

	void voided() {
		this.voided.increment();
	}

	/** The outcome label of {@code coupon_redemptions_total}. */
	public enum RedemptionOutcome {

		REDEEMED, ALREADY_REDEEMED, CONFLICT, EXPIRED, VOID, NOT_FOUND, INVALID

	}

	/** The result label of {@code coupon_status_lookups_total}. */
	public enum StatusLookupResult {

		UNUSED, USED, EXPIRED, VOID, NOT_FOUND, INVALID

	}

}
