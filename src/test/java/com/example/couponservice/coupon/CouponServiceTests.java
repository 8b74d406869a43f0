package com.example.couponservice.coupon;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import com.example.couponservice.coupon.CouponConflictException.Reason;
import com.example.couponservice.coupon.CouponService.Lookup;
import com.example.couponservice.coupon.CouponService.Redemption;
import com.example.couponservice.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class CouponServiceTests {

	static final CouponProperties.Events EVENTS = new CouponProperties.Events(100, Duration.ofDays(400),
			Duration.ofHours(1));

	/** No expiry, no campaign, no metadata. */
	static final CouponTemplate PLAIN = new CouponTemplate(null, null, Map.of(), null);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CouponMetrics metrics = new CouponMetrics(this.registry);

	private final CodeGenerator generator = new CodeGenerator(new SecureRandom());

	private final CodePool pool = new CodePool(this.generator, this.metrics, this.clock,
			new CouponProperties.Pool(100, 50, Duration.ofSeconds(1)));

	private InMemoryCouponStore store = new InMemoryCouponStore(100L << 20, 100);

	private CouponService service = service(null);

	private CouponService service(Duration defaultTtl) {
		CouponProperties properties = new CouponProperties(new CouponProperties.Pool(100, 50, Duration.ofSeconds(1)),
				new CouponProperties.Generation(10, 10_000), new CouponProperties.Store(DataSize.ofBytes(0)),
				new CouponProperties.Redeem(false), EVENTS, defaultTtl);
		return new CouponService(this.store, this.pool, this.generator, this.metrics, this.clock, properties);
	}

	@AfterEach
	void closePool() {
		this.pool.close();
	}

	private double counter(String name, String tag, String value) {
		return this.registry.get(name).tag(tag, value).counter().count();
	}

	private String generate() {
		return this.service.generate(PLAIN).code();
	}

	@Test
	void generateStoresAnUnusedCouponCreatedNow() {
		Coupon coupon = this.service.generate(PLAIN);
		assertThat(this.store.find(coupon.code())).contains(coupon);
		assertThat(coupon.status()).isEqualTo(CouponStatus.UNUSED);
		assertThat(coupon.createdAt()).isEqualTo(this.clock.instant());
		assertThat(this.pool.isReserved(coupon.code())).isFalse();
		assertThat(counter("coupon.generated", "source", "pool") + counter("coupon.generated", "source", "on_demand"))
			.isEqualTo(1);
	}

	@Test
	void firstRedemptionWinsAndARepeatWithoutReferenceIsARetryWithTheOriginalTimestamp() {
		String code = generate();
		this.clock.advance(Duration.ofSeconds(5));
		Redemption first = this.service.redeem(code.toLowerCase(), null, null, null);
		assertThat(first.alreadyRedeemed()).isFalse();
		assertThat(first.coupon().redeemedAt()).isEqualTo(this.clock.instant());
		Instant redeemedAt = this.clock.instant();
		this.clock.advance(Duration.ofMinutes(3));
		Redemption retry = this.service.redeem(code, null, null, null);
		assertThat(retry.alreadyRedeemed()).isTrue();
		assertThat(retry.coupon().redeemedAt()).isEqualTo(redeemedAt);
		assertThat(counter("coupon.redemptions", "outcome", "redeemed")).isEqualTo(1);
		assertThat(counter("coupon.redemptions", "outcome", "already_redeemed")).isEqualTo(1);
	}

	@Test
	void aRepeatWithTheSameReferenceIsARetry() {
		String code = generate();
		this.service.redeem(code, "order-1", null, null);
		Redemption retry = this.service.redeem(code, "order-1", null, null);
		assertThat(retry.alreadyRedeemed()).isTrue();
		assertThat(retry.coupon().reference()).isEqualTo("order-1");
	}

	@Test
	void aRepeatWithAnotherReferenceOrWithoutOneIsAConflictAndChangesNothing() {
		String code = generate();
		Coupon redeemed = this.service.redeem(code, "order-1", null, null).coupon();
		this.clock.advance(Duration.ofSeconds(1));
		assertThatExceptionOfType(CouponConflictException.class)
			.isThrownBy(() -> this.service.redeem(code, "order-2", null, null))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ALREADY_REDEEMED);
				assertThat(ex.getAt()).isEqualTo(redeemed.redeemedAt());
			});
		assertThatExceptionOfType(CouponConflictException.class)
			.isThrownBy(() -> this.service.redeem(code, null, null, null));
		assertThat(this.store.find(code)).contains(redeemed);
		assertThat(counter("coupon.redemptions", "outcome", "conflict")).isEqualTo(2);
	}

	@Test
	void aReferenceAfterARedemptionWithoutOneIsAConflict() {
		String code = generate();
		this.service.redeem(code, null, null, null);
		assertThatExceptionOfType(CouponConflictException.class)
			.isThrownBy(() -> this.service.redeem(code, "order-9", null, null));
	}

	@Test
	void unknownAndMalformedCodesAreRejectedAndCounted() {
		assertThatExceptionOfType(CouponNotFoundException.class)
			.isThrownBy(() -> this.service.redeem("AAAA-AAAA", null, null, null))
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo("AAAAAAAA"));
		assertThatExceptionOfType(InvalidCouponCodeException.class)
			.isThrownBy(() -> this.service.redeem("nope", null, null, null));
		assertThatExceptionOfType(InvalidCouponCodeException.class)
			.isThrownBy(() -> this.service.redeem(null, null, null, null));
		assertThat(counter("coupon.redemptions", "outcome", "not_found")).isEqualTo(1);
		assertThat(counter("coupon.redemptions", "outcome", "invalid")).isEqualTo(2);
	}

	@Test
	void referencesMustBeOneTo64PrintableCharacters() {
		String code = generate();
		for (String bad : List.of("", "a".repeat(65), "line\nbreak", "nul\u0000", "bidi\u202E")) {
			assertThatExceptionOfType(InvalidFieldException.class)
				.isThrownBy(() -> this.service.redeem(code, bad, null, null))
				.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("reference"));
		}
		assertThat(this.store.find(code).orElseThrow().status()).isEqualTo(CouponStatus.UNUSED);
		assertThat(this.service.redeem(code, "Bestellung Nr. 42 – Müller", null, null).alreadyRedeemed()).isFalse();
	}

	@Test
	void statusReportsEveryStateAndNormalisesTheCode() {
		String code = generate();
		Lookup unused = this.service.status(code.substring(0, 4).toLowerCase() + "-" + code.substring(4));
		assertThat(unused.status()).isEqualTo(CouponStatus.UNUSED);
		assertThat(unused.code()).isEqualTo(code);
		this.service.redeem(code, null, null, null);
		assertThat(this.service.status(code).status()).isEqualTo(CouponStatus.USED);
		Lookup missing = this.service.status("ZZZZZZZZ");
		assertThat(missing.status()).isNull();
		assertThat(missing.coupon()).isNull();
		assertThat(counter("coupon.status.lookups", "result", "unused")).isEqualTo(1);
		assertThat(counter("coupon.status.lookups", "result", "used")).isEqualTo(1);
		assertThat(counter("coupon.status.lookups", "result", "not_found")).isEqualTo(1);
	}

	@Test
	void aCouponExpiresAtItsExpiryInstantByTheClock() {
		Instant expiresAt = this.clock.instant().plus(Duration.ofHours(1));
		String code = this.service.generate(this.service.template(expiresAt, null, null, null, null)).code();
		this.clock.set(expiresAt.minusMillis(1));
		assertThat(this.service.status(code).status()).isEqualTo(CouponStatus.UNUSED);
		this.clock.set(expiresAt);
		assertThat(this.service.status(code).status()).isEqualTo(CouponStatus.EXPIRED);
		assertThatExceptionOfType(CouponConflictException.class)
			.isThrownBy(() -> this.service.redeem(code, null, null, null))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.EXPIRED);
				assertThat(ex.getAt()).isEqualTo(expiresAt);
			});
		assertThat(this.store.find(code).orElseThrow().status()).isEqualTo(CouponStatus.UNUSED);
		assertThat(counter("coupon.redemptions", "outcome", "expired")).isEqualTo(1);
	}

	@Test
	void aUsedCouponNeverBecomesExpired() {
		String code = this.service.generate(this.service.template(null, Duration.ofMinutes(1), null, null, null))
			.code();
		this.service.redeem(code, null, null, null);
		this.clock.advance(Duration.ofDays(1));
		assertThat(this.service.status(code).status()).isEqualTo(CouponStatus.USED);
		assertThat(this.service.redeem(code, null, null, null).alreadyRedeemed()).isTrue();
	}

	@Test
	void ttlAndDefaultTtlSetTheExpiry() {
		CouponTemplate ttl = this.service.template(null, Duration.ofDays(30), null, null, null);
		assertThat(ttl.expiresAt()).isEqualTo(this.clock.instant().plus(Duration.ofDays(30)));
		assertThat(this.service.template(null, null, null, null, null).expiresAt()).isNull();
		CouponService withDefault = service(Duration.ofDays(7));
		assertThat(withDefault.template(null, null, null, null, null).expiresAt())
			.isEqualTo(this.clock.instant().plus(Duration.ofDays(7)));
		assertThat(withDefault.template(null, Duration.ofHours(1), null, null, null).expiresAt())
			.isEqualTo(this.clock.instant().plus(Duration.ofHours(1)));
	}

	@Test
	void expiryMustBeInTheFutureAndGivenOnce() {
		Instant now = this.clock.instant();
		assertField(() -> this.service.template(now, null, null, null, null), "expiresAt");
		assertField(() -> this.service.template(now.minusSeconds(1), null, null, null, null), "expiresAt");
		assertField(() -> this.service.template(null, Duration.ZERO, null, null, null), "ttl");
		assertField(() -> this.service.template(null, Duration.ofDays(-1), null, null, null), "ttl");
		assertField(() -> this.service.template(now.plusSeconds(60), Duration.ofDays(1), null, null, null), "ttl");
		assertField(() -> this.service.template(null, Duration.ofSeconds(Long.MAX_VALUE), null, null, null), "ttl");
		assertField(() -> this.service.template(null, Duration.ofDays(365L * 9000), null, null, null), "ttl");
		assertField(() -> this.service.template(Instant.parse("+10000-01-01T00:00:00Z"), null, null, null, null),
				"expiresAt");
		assertThat(this.service.template(CouponService.MAX_EXPIRY, null, null, null, null).expiresAt())
			.isEqualTo(CouponService.MAX_EXPIRY);
	}

	@Test
	void aTtlUnderOneSecondIsRefusedAndAnExpiryIsKeptToTheMillisecondAsStored() {
		assertField(() -> this.service.template(null, Duration.ofNanos(100_000), null, null, null), "ttl");
		assertField(() -> this.service.template(null, Duration.ofMillis(999), null, null, null), "ttl");
		this.clock.set(Instant.parse("2026-03-01T10:00:00.123456789Z"));
		CouponTemplate template = this.service.template(null, Duration.parse("PT1.0009999S"), null, null, null);
		assertThat(template.expiresAt()).isEqualTo(Instant.parse("2026-03-01T10:00:01.123Z"));
		Coupon coupon = this.service.generate(template);
		assertThat(coupon.expiresAt()).isEqualTo(template.expiresAt());
		assertThat(this.store.find(coupon.code()).orElseThrow().expiresAt()).isEqualTo(coupon.expiresAt());
		assertThat(this.service.status(coupon.code()).status()).isEqualTo(CouponStatus.UNUSED);
	}

	@Test
	void metadataMayNotHoldNulOrHalfASurrogatePair() {
		assertField(() -> this.service.template(null, null, null, Map.of("k", "a\u0000b"), null), "metadata.k");
		assertField(() -> this.service.template(null, null, null, Map.of("k", "lone \ud800 high"), null), "metadata.k");
		assertField(() -> this.service.template(null, null, null, Map.of("k", "lone \udc00 low"), null), "metadata.k");
		assertField(() -> this.service.template(null, null, null, Map.of("k\u0000", "v"), null), "metadata");
		assertField(() -> this.service.template(null, null, null, Map.of("k\ud800", "v"), null), "metadata");
		assertField(() -> this.service.template(null, null, null, Map.of("tab\tkey", "v"), null), "metadata");
		// A pair is a character (here U+1F600), and values may hold line breaks.
		assertThat(
				this.service.template(null, null, null, Map.of("emoji", "\ud83d\ude00", "note", "line 1\nline 2"), null)
					.metadata())
			.containsEntry("emoji", "\ud83d\ude00");
	}

	@Test
	void referencesMayNotHoldNulOrHalfASurrogatePair() {
		String code = generate();
		for (String reference : new String[] { "order\u0000", "order-\ud800", "\udc00" }) {
			assertField(() -> this.service.redeem(code, reference, null, null), "reference");
		}
		assertThat(this.service.status(code).status()).isEqualTo(CouponStatus.UNUSED);
	}

	@Test
	void withReferencesRequiredARedemptionWithoutOneIsRefusedAndChangesNothing() {
		CouponProperties properties = new CouponProperties(new CouponProperties.Pool(100, 50, Duration.ofSeconds(1)),
				new CouponProperties.Generation(10, 10_000), new CouponProperties.Store(DataSize.ofBytes(0)),
				new CouponProperties.Redeem(true), EVENTS, null);
		CouponService strict = new CouponService(this.store, this.pool, this.generator, this.metrics, this.clock,
				properties);
		String code = generate();

		assertField(() -> strict.redeem(code, null, null, null), "reference");

		assertThat(strict.status(code).status()).isEqualTo(CouponStatus.UNUSED);
		assertThat(strict.redeem(code, "order-1", null, null).alreadyRedeemed()).isFalse();
	}

	@Test
	void campaignAndMetadataAreValidatedAndKept() {
		CouponTemplate template = this.service.template(null, null, "black-friday_2026.v2", Map.of("channel", "email"),
				null);
		Coupon coupon = this.service.generate(template);
		assertThat(this.store.find(coupon.code()).orElseThrow().campaign()).isEqualTo("black-friday_2026.v2");
		assertThat(this.store.find(coupon.code()).orElseThrow().metadata()).containsExactly(entry("channel", "email"));
		assertField(() -> this.service.template(null, null, "", null, null), "campaign");
		assertField(() -> this.service.template(null, null, "a".repeat(65), null, null), "campaign");
		assertField(() -> this.service.template(null, null, "spaces are bad", null, null), "campaign");
		Map<String, String> seventeen = IntStream.range(0, 17)
			.boxed()
			.collect(Collectors.toMap((i) -> "k" + i, (i) -> "v"));
		assertField(() -> this.service.template(null, null, null, seventeen, null), "metadata");
		assertField(() -> this.service.template(null, null, null, Map.of("k".repeat(41), "v"), null), "metadata");
		assertField(() -> this.service.template(null, null, null, Map.of("", "v"), null), "metadata");
		assertField(() -> this.service.template(null, null, null, Map.of("k", "v".repeat(257)), null), "metadata.k");
		assertThat(this.service.template(null, null, null, Map.of("k".repeat(40), "v".repeat(256)), null).metadata())
			.hasSize(1);
	}

	private static void assertField(Runnable call, String field) {
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(call::run)
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(field));
	}

	@Test
	void voidMarksAnUnusedCouponAndBlocksRedemption() {
		String code = generate();
		this.clock.advance(Duration.ofMinutes(1));
		Coupon voided = this.service.voidCoupon(code, null);
		assertThat(voided.status()).isEqualTo(CouponStatus.VOID);
		assertThat(voided.voidedAt()).isEqualTo(this.clock.instant());
		assertThat(this.service.status(code).status()).isEqualTo(CouponStatus.VOID);
		assertThatExceptionOfType(CouponConflictException.class)
			.isThrownBy(() -> this.service.redeem(code, null, null, null))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.VOID));
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.service.voidCoupon(code, null)).isEqualTo(voided);
		assertThat(this.registry.get("coupon.voided").counter().count()).isEqualTo(1);
	}

	@Test
	void voidingAUsedOrUnknownCouponFails() {
		String code = generate();
		Coupon used = this.service.redeem(code, null, null, null).coupon();
		assertThatExceptionOfType(CouponConflictException.class).isThrownBy(() -> this.service.voidCoupon(code, null))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.ALREADY_REDEEMED));
		assertThat(this.store.find(code)).contains(used);
		assertThatExceptionOfType(CouponNotFoundException.class)
			.isThrownBy(() -> this.service.voidCoupon("ZZZZZZZZ", null));
	}

	@Test
	void bulkGenerationStoresDistinctCouponsSharingTheTemplate() {
		CouponTemplate template = this.service.template(null, Duration.ofDays(1), "bulk", Map.of("batch", "7"), null);
		List<Coupon> coupons = this.service.generateBulk(10_000, template);
		assertThat(coupons).hasSize(10_000);
		assertThat(coupons.stream().map(Coupon::code).collect(Collectors.toSet())).hasSize(10_000);
		assertThat(this.store.size()).isEqualTo(10_000);
		assertThat(coupons).allSatisfy((coupon) -> {
			assertThat(this.store.find(coupon.code())).contains(coupon);
			assertThat(coupon.campaign()).isEqualTo("bulk");
		});
		assertThat(counter("coupon.generated", "source", "bulk")).isEqualTo(10_000);
		assertThat(this.service.campaignStats("bulk")).containsEntry(CouponStatus.UNUSED, 10_000L);
	}

	@Test
	void bulkCountMustBeBetweenOneAndTheMaximum() {
		assertField(() -> this.service.generateBulk(0, PLAIN), "count");
		assertField(() -> this.service.generateBulk(10_001, PLAIN), "count");
		assertThat(this.store.size()).isZero();
	}

	@Test
	void aFullStoreRefusesGenerationAndBulkIsAllOrNothing() {
		this.store = new InMemoryCouponStore(5 * InMemoryCouponStore.ENTRY_BYTES, 100);
		this.service = service(null);
		this.service.generateBulk(3, PLAIN);
		assertThatExceptionOfType(StoreFullException.class).isThrownBy(() -> this.service.generateBulk(3, PLAIN));
		assertThat(this.store.size()).isEqualTo(3);
		generate();
		generate();
		assertThatExceptionOfType(StoreFullException.class).isThrownBy(this::generate);
		assertThat(this.store.size()).isEqualTo(5);
		assertThat(this.registry.get("coupon.generation.rejected").counter().count()).isEqualTo(2);
	}

	@Test
	void campaignStatsCountOnlyThatCampaignByStatus() {
		CouponTemplate spring = this.service.template(null, Duration.ofHours(1), "spring", null, null);
		List<String> codes = this.service.generateBulk(4, spring).stream().map(Coupon::code).toList();
		this.service.generateBulk(2, this.service.template(null, null, "autumn", null, null));
		generate();
		this.service.redeem(codes.get(0), null, null, null);
		this.service.voidCoupon(codes.get(1), null);
		this.clock.advance(Duration.ofHours(2));
		Map<CouponStatus, Long> stats = this.service.campaignStats("spring");
		assertThat(stats).containsOnly(entry(CouponStatus.UNUSED, 0L), entry(CouponStatus.USED, 1L),
				entry(CouponStatus.VOID, 1L), entry(CouponStatus.EXPIRED, 2L));
		assertThat(this.service.campaignStats("nothing")).containsEntry(CouponStatus.UNUSED, 0L);
		assertField(() -> this.service.campaignStats("bad campaign"), "campaign");
	}

	@Test
	void generatedCodesNeverRepeatAcrossPoolAndStore() {
		HashSet<String> seen = new HashSet<>();
		for (int i = 0; i < 3_000; i++) {
			assertThat(seen.add(generate())).isTrue();
		}
		this.service.generateBulk(5_000, PLAIN).forEach((coupon) -> assertThat(seen.add(coupon.code())).isTrue());
		assertThat(this.store.size()).isEqualTo(8_000);
	}

}
