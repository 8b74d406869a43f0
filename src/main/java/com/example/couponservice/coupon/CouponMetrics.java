package com.example.couponservice.coupon;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

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

	private final Counter reversals;

	private final Map<ValidationOutcome, Counter> validations = new EnumMap<>(ValidationOutcome.class);

	private final Counter invalidValidations;

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
		this.reversals = Counter.builder("coupon.reversals")
			.description("Redemptions reversed: coupons made unused again")
			.register(registry);
		for (ValidationOutcome outcome : ValidationOutcome.values()) {
			this.validations.put(outcome, validationCounter(registry, tagValue(outcome)));
		}
		this.invalidValidations = validationCounter(registry, "invalid");
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

	void reversed() {
		this.reversals.increment();
	}

	/** A validation that found {@code outcome}; {@code null} for a malformed request. */
	void validation(@Nullable ValidationOutcome outcome) {
		((outcome != null) ? counter(this.validations, outcome) : this.invalidValidations).increment();
	}

	private static Counter validationCounter(MeterRegistry registry, String result) {
		return Counter.builder("coupon.validations")
			.description("Validations, by what they found")
			.tag("result", result)
			.register(registry);
	}

	/** The outcome label of {@code coupon_redemptions_total}. */
	public enum RedemptionOutcome {

		REDEEMED, ALREADY_REDEEMED, CONFLICT, EXPIRED, VOID, CUSTOMER_MISMATCH, NOT_FOUND, INVALID

	}

	/** The result label of {@code coupon_status_lookups_total}. */
	public enum StatusLookupResult {

		UNUSED, USED, EXPIRED, VOID, NOT_FOUND, INVALID

	}

}
