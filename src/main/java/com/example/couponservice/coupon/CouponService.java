package com.example.couponservice.coupon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.couponservice.coupon.CodePool.Candidate;
import com.example.couponservice.coupon.CodePool.Source;
import com.example.couponservice.coupon.CouponConflictException.Reason;
import com.example.couponservice.coupon.CouponMetrics.RedemptionOutcome;
import com.example.couponservice.coupon.CouponMetrics.StatusLookupResult;

/**
 * The coupon rules: generation from the pool, single-use redemption with safe retries,
 * expiry, void, and status. Knows nothing of HTTP; every state change is one atomic step
 * of the {@link CouponStore}.
 */
public class CouponService {

	private static final Logger logger = LoggerFactory.getLogger(CouponService.class);

	private static final Pattern CAMPAIGN = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	/** 1 to 64 characters, none of them control, format or unassigned code points. */
	private static final Pattern REFERENCE = Pattern.compile("[^\\p{C}\\p{Zl}\\p{Zp}]{1,64}");

	/**
	 * The latest expiry accepted: far enough for any coupon, and storable by every store.
	 */
	static final Instant MAX_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

	private static final int MAX_METADATA_ENTRIES = 16;

	private static final int MAX_METADATA_KEY = 40;

	private static final int MAX_METADATA_VALUE = 256;

	/**
	 * The shortest lifetime: shorter ones would expire before anyone could use them (and
	 * under a millisecond, at once: stores keep milliseconds).
	 */
	static final Duration MIN_TTL = Duration.ofSeconds(1);

	/** The largest page of a listing. */
	static final int MAX_PAGE = 1000;

	/** 1 to 256 characters, none of them control, format or unassigned code points. */
	private static final Pattern REASON = Pattern.compile("[^\\p{C}\\p{Zl}\\p{Zp}]{1,256}");

	/** Control characters, which no metadata key may hold. */
	private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

	private final CouponStore store;

	private final CodePool pool;

	private final CodeGenerator generator;

	private final CouponMetrics metrics;

	private final Clock clock;

	private final CouponProperties properties;

	public CouponService(CouponStore store, CodePool pool, CodeGenerator generator, CouponMetrics metrics, Clock clock,
			CouponProperties properties) {
		this.store = store;
		this.pool = pool;
		this.generator = generator;
		this.metrics = metrics;
		this.clock = clock;
		this.properties = properties;
	}

	/**
	 * Validate the options of a generation request.
	 * @throws InvalidFieldException naming the first field that breaks its rule
	 */
	public CouponTemplate template(@Nullable Instant expiresAt, @Nullable Duration ttl, @Nullable String campaign,
			@Nullable Map<String, String> metadata, @Nullable String customerId) {
		Instant now = now();
		if (expiresAt != null && ttl != null) {
			throw new InvalidFieldException("ttl", "give either expiresAt or ttl, not both");
		}
		if (ttl != null && ttl.compareTo(MIN_TTL) < 0) {
			throw new InvalidFieldException("ttl",
					"ttl must be an ISO-8601 duration of at least 1 second, such as PT30M or P30D");
		}
		if (expiresAt != null && !expiresAt.truncatedTo(ChronoUnit.MILLIS).isAfter(now)) {
			throw new InvalidFieldException("expiresAt", "expiresAt must be in the future");
		}
		Duration effectiveTtl = (ttl != null) ? ttl : this.properties.defaultTtl();
		Instant expiry = (expiresAt != null) ? expiresAt.truncatedTo(ChronoUnit.MILLIS)
				: (effectiveTtl != null) ? plus(now, effectiveTtl) : null;
		if (expiry != null && expiry.isAfter(MAX_EXPIRY)) {
			throw new InvalidFieldException((expiresAt != null) ? "expiresAt" : "ttl",
					"coupons must expire by " + MAX_EXPIRY);
		}
		if (campaign != null) {
			checkCampaign(campaign);
		}
		checkText("customerId", customerId, REFERENCE, 64);
		return new CouponTemplate(expiry, campaign, checkMetadata(metadata), customerId);
	}

	private static void checkCampaign(String campaign) {
		if (!CAMPAIGN.matcher(campaign).matches()) {
			throw new InvalidFieldException("campaign", "campaign must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
		}
	}

	/** {@code now + ttl} to the millisecond, as every store keeps it. */
	private static Instant plus(Instant now, Duration ttl) {
		try {
			return now.plus(ttl).truncatedTo(ChronoUnit.MILLIS);
		}
		catch (ArithmeticException | java.time.DateTimeException ex) {
			throw new InvalidFieldException("ttl", "ttl is too long");
		}
	}

	private static Map<String, String> checkMetadata(@Nullable Map<String, String> metadata) {
		if (metadata == null) {
			return Map.of();
		}
		if (metadata.size() > MAX_METADATA_ENTRIES) {
			throw new InvalidFieldException("metadata",
					"metadata may have at most " + MAX_METADATA_ENTRIES + " entries");
		}
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			String key = entry.getKey();
			if (key.isEmpty() || key.length() > MAX_METADATA_KEY || CONTROL.matcher(key).find() || !isWellFormed(key)) {
				throw new InvalidFieldException("metadata", "metadata keys must be 1 to " + MAX_METADATA_KEY
						+ " characters, none of them a control " + "character or half of a surrogate pair");
			}
			String value = entry.getValue();
			if (value == null || value.length() > MAX_METADATA_VALUE || value.indexOf('\u0000') >= 0
					|| !isWellFormed(value)) {
				throw new InvalidFieldException("metadata." + key, "metadata values must be strings of at most "
						+ MAX_METADATA_VALUE + " characters, without U+0000 or half of a surrogate pair");
			}
		}
		return new LinkedHashMap<>(metadata);
	}

	/**
	 * Generate and store one coupon, its code from the pool or, when the pool is empty,
	 * drawn on demand.
	 */
	public Coupon generate(CouponTemplate template) {
		int maxAttempts = this.properties.generation().maxAttempts();
		for (int attempt = 1; attempt <= maxAttempts; attempt++) {
			Candidate candidate = this.pool.take();
			try {
				Coupon coupon = template.newCoupon(candidate.code(), now());
				if (this.store.insert(coupon)) {
					this.metrics.generated(candidate.source(), 1);
					logger.debug("Generated coupon {} from {}", CouponCode.mask(coupon.code()),
							(candidate.source() == Source.POOL) ? "the pool" : "on-demand generation");
					return coupon;
				}
				this.metrics.collision();
			}
			catch (StoreFullException ex) {
				this.metrics.storeFull();
				throw ex;
			}
			finally {
				this.pool.release(candidate.code());
			}
		}
		throw new GenerationFailedException(maxAttempts);
	}

	/**
	 * Generate {@code count} distinct coupons and store them all, or none.
	 * @throws InvalidFieldException when count is out of range
	 */
	public List<Coupon> generateBulk(int count, CouponTemplate template) {
		int max = this.properties.generation().maxBulkCount();
		if (count < 1 || count > max) {
			throw new InvalidFieldException("count", "count must be between 1 and " + max);
		}
		Instant now = now();
		List<Coupon> batch = new ArrayList<>(count);
		Set<String> codes = new HashSet<>(count * 2);
		fillWithFreshCodes(batch, codes, count, template, now);
		int maxAttempts = this.properties.generation().maxAttempts();
		for (int attempt = 1; attempt <= maxAttempts; attempt++) {
			List<String> taken;
			try {
				taken = this.store.insertAll(batch);
			}
			catch (StoreFullException ex) {
				this.metrics.storeFull();
				throw ex;
			}
			if (taken.isEmpty()) {
				this.metrics.generated(Source.BULK, count);
				logger.debug("Generated {} coupons in bulk", count);
				return batch;
			}
			// Replace the taken codes and try the whole batch again.
			Set<String> takenSet = new HashSet<>(taken);
			batch.removeIf((coupon) -> takenSet.contains(coupon.code()));
			taken.forEach((code) -> this.metrics.collision());
			fillWithFreshCodes(batch, codes, count, template, now);
		}
		throw new GenerationFailedException(maxAttempts);
	}

	private void fillWithFreshCodes(List<Coupon> batch, Set<String> seen, int count, CouponTemplate template,
			Instant now) {
		while (batch.size() < count) {
			for (String code : this.generator.next(count - batch.size())) {
				if (!this.pool.isReserved(code) && seen.add(code)) {
					batch.add(template.newCoupon(code, now));
				}
				else {
					this.metrics.collision();
				}
			}
		}
	}

	/**
	 * Redeem a coupon once. A repeat by the same caller (the same reference, or no
	 * reference both times) is answered as a retry with the original redemption; any
	 * other repeat is a conflict and changes nothing. A coupon bound to a customer is
	 * refused to anyone else.
	 * @param client the caller's address, for the log line and the coupon's history
	 * @throws InvalidCouponCodeException, InvalidFieldException for bad input
	 * @throws CouponNotFoundException when no coupon has the code
	 * @throws CouponConflictException when it is used by someone else, expired, void or
	 * bound to another customer
	 */
	public Redemption redeem(@Nullable String rawCode, @Nullable String reference, @Nullable String customerId,
			@Nullable String client) {
		String code;
		try {
			code = CouponCode.normalise(rawCode);
			checkText("reference", reference, REFERENCE, 64);
			checkText("customerId", customerId, REFERENCE, 64);
			if (reference == null && this.properties.redeem().requireReference()) {
				throw new InvalidFieldException("reference", "reference is required: send the order id as reference "
						+ "or in an Idempotency-Key header (coupon.redeem.require-reference is on)");
			}
		}
		catch (InvalidCouponCodeException | InvalidFieldException ex) {
			record(RedemptionOutcome.INVALID, rawCode, client);
			throw ex;
		}
		StoreResult<RedeemOutcome> result = this.store.redeem(code, new Attempt(now(), reference, customerId, client));
		Coupon coupon = result.coupon();
		switch (result.outcome()) {
			case REDEEMED -> {
				record(RedemptionOutcome.REDEEMED, code, client);
				return new Redemption(Objects.requireNonNull(coupon), false);
			}
			case REPEATED -> {
				record(RedemptionOutcome.ALREADY_REDEEMED, code, client);
				return new Redemption(Objects.requireNonNull(coupon), true);
			}
			case NOT_FOUND -> {
				record(RedemptionOutcome.NOT_FOUND, code, client);
				throw new CouponNotFoundException(code);
			}
			case ALREADY_REDEEMED -> {
				record(RedemptionOutcome.CONFLICT, code, client);
				throw new CouponConflictException(Reason.ALREADY_REDEEMED, code, requireCoupon(coupon).redeemedAt(),
						"coupon " + code + " was already redeemed"
								+ ((reference != null) ? " with another reference" : " by another caller"));
			}
			case VOID -> {
				record(RedemptionOutcome.VOID, code, client);
				throw new CouponConflictException(Reason.VOID, code, requireCoupon(coupon).voidedAt(),
						"coupon " + code + " is void");
			}
			case EXPIRED -> {
				record(RedemptionOutcome.EXPIRED, code, client);
				throw new CouponConflictException(Reason.EXPIRED, code, requireCoupon(coupon).expiresAt(),
						"coupon " + code + " expired at " + requireCoupon(coupon).expiresAt());
			}
			case CUSTOMER_MISMATCH -> {
				record(RedemptionOutcome.CUSTOMER_MISMATCH, code, client);
				throw new CouponConflictException(Reason.CUSTOMER_MISMATCH, code, null,
						"coupon " + code + " belongs to another customer");
			}
		}
		throw new IllegalStateException("unknown outcome " + result.outcome());
	}

	/**
	 * Tell whether a coupon could be redeemed now by {@code customerId}, without
	 * redeeming it. Recorded in the coupon's history, as every attempt on it is.
	 * @throws InvalidCouponCodeException, InvalidFieldException for bad input
	 */
	public Validation validate(@Nullable String rawCode, @Nullable String customerId, @Nullable String client) {
		String code;
		try {
			code = CouponCode.normalise(rawCode);
			checkText("customerId", customerId, REFERENCE, 64);
		}
		catch (InvalidCouponCodeException | InvalidFieldException ex) {
			this.metrics.validation(null);
			throw ex;
		}
		StoreResult<ValidationOutcome> result = this.store.validate(code, new Attempt(now(), null, customerId, client));
		this.metrics.validation(result.outcome());
		return new Validation(code, result.outcome(), result.coupon());
	}

	/**
	 * Put a used coupon back: its order was cancelled or its payment failed. A repeat of
	 * the same reversal answers as one.
	 * @param reference the reference of the redemption to reverse (both absent match)
	 * @param reason why, for the coupon's history
	 * @throws CouponNotFoundException when no coupon has the code
	 * @throws CouponConflictException when it is not used, void, or was redeemed with
	 * another reference
	 */
	public Reversal reverse(@Nullable String rawCode, @Nullable String reference, @Nullable String reason,
			@Nullable String client) {
		String code = CouponCode.normalise(rawCode);
		checkText("reference", reference, REFERENCE, 64);
		checkText("reason", reason, REASON, 256);
		Attempt attempt = new Attempt(now(), reference, null, client);
		StoreResult<ReverseOutcome> result = this.store.reverse(code, attempt, reason);
		Coupon coupon = result.coupon();
		return switch (result.outcome()) {
			case REVERSED -> {
				this.metrics.reversed();
				logger.info("Reversed redemption code={} client={}", CouponCode.mask(code), client);
				yield new Reversal(Objects.requireNonNull(coupon), false);
			}
			case ALREADY_REVERSED -> new Reversal(Objects.requireNonNull(coupon), true);
			case REFERENCE_MISMATCH -> throw new CouponConflictException(Reason.REFERENCE_MISMATCH, code,
					requireCoupon(coupon).redeemedAt(), "coupon " + code + " was redeemed with another reference");
			case NOT_REDEEMED -> throw new CouponConflictException(Reason.NOT_REDEEMED, code, null,
					"coupon " + code + " is not redeemed");
			case VOID -> throw new CouponConflictException(Reason.VOID, code, requireCoupon(coupon).voidedAt(),
					"coupon " + code + " is void");
			case NOT_FOUND -> throw new CouponNotFoundException(code);
		};
	}

	private static Coupon requireCoupon(@Nullable Coupon coupon) {
		return Objects.requireNonNull(coupon, "a coupon that was found");
	}

	/**
	 * Check an optional free-text field: {@code null}, or matching {@code rule} and well
	 * formed (a database must be able to store it).
	 */
	private static void checkText(String field, @Nullable String value, Pattern rule, int maxLength) {
		if (value != null && (!rule.matcher(value).matches() || !isWellFormed(value))) {
			throw new InvalidFieldException(field,
					field + " must be 1 to " + maxLength + " printable characters (no control characters)");
		}
	}

	/**
	 * Whether {@code text} is valid Unicode: every surrogate is half of a pair. A lone
	 * one cannot be stored as UTF-8 (PostgreSQL refuses it).
	 */
	static boolean isWellFormed(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	private void record(RedemptionOutcome outcome, @Nullable String code, @Nullable String client) {
		this.metrics.redemption(outcome);
		logger.info("Redemption {} code={} client={}", CouponMetrics.tagValue(outcome), CouponCode.mask(code), client);
	}

	/**
	 * Look a code up.
	 * @throws InvalidCouponCodeException when the code is malformed
	 */
	public Lookup status(@Nullable String rawCode) {
		String code;
		try {
			code = CouponCode.normalise(rawCode);
		}
		catch (InvalidCouponCodeException ex) {
			this.metrics.statusLookup(StatusLookupResult.INVALID);
			throw ex;
		}
		Coupon coupon = this.store.find(code).orElse(null);
		CouponStatus status = (coupon != null) ? coupon.statusAt(now()) : null;
		this.metrics
			.statusLookup((status != null) ? StatusLookupResult.valueOf(status.name()) : StatusLookupResult.NOT_FOUND);
		return new Lookup(code, coupon, status);
	}

	/**
	 * Void an unused coupon; voiding a void coupon again is a no-op.
	 * @throws CouponNotFoundException when no coupon has the code
	 * @throws CouponConflictException when it is already used
	 */
	public Coupon voidCoupon(@Nullable String rawCode, @Nullable String client) {
		String code = CouponCode.normalise(rawCode);
		StoreResult<VoidOutcome> result = this.store.voidCoupon(code, new Attempt(now(), null, null, client));
		Coupon coupon = result.coupon();
		return switch (result.outcome()) {
			case VOIDED -> {
				this.metrics.voided();
				logger.info("Voided coupon code={} client={}", CouponCode.mask(code), client);
				yield Objects.requireNonNull(coupon);
			}
			case ALREADY_VOID -> Objects.requireNonNull(coupon);
			case USED ->
				throw new CouponConflictException(Reason.ALREADY_REDEEMED, code, requireCoupon(coupon).redeemedAt(),
						"coupon " + code + " was already redeemed and cannot be voided");
			case NOT_FOUND -> throw new CouponNotFoundException(code);
		};
	}

	/**
	 * The history of a coupon, oldest first.
	 * @throws CouponNotFoundException when no coupon has the code
	 */
	public List<CouponEvent> events(@Nullable String rawCode) {
		String code = CouponCode.normalise(rawCode);
		return this.store.events(code).orElseThrow(() -> new CouponNotFoundException(code));
	}

	/**
	 * One page of the coupons matching {@code query}, in code order after {@code after}.
	 * @throws InvalidFieldException for a filter, limit or position out of its rules
	 */
	public Page list(CouponQuery query, @Nullable String after, int limit) {
		checkQuery(query);
		if (limit < 1 || limit > MAX_PAGE) {
			throw new InvalidFieldException("limit", "limit must be between 1 and " + MAX_PAGE);
		}
		String from = null;
		if (after != null) {
			try {
				from = CouponCode.normalise(after);
			}
			catch (InvalidCouponCodeException ex) {
				throw new InvalidFieldException("after", "after must be a code, as the previous page's next gives it");
			}
		}
		Instant now = now();
		List<Listed> coupons = this.store.list(query, from, limit + 1, now)
			.stream()
			.map((coupon) -> new Listed(coupon, coupon.statusAt(now)))
			.toList();
		if (coupons.size() > limit) {
			List<Listed> page = coupons.subList(0, limit);
			return new Page(page, page.get(limit - 1).coupon().code());
		}
		return new Page(coupons, null);
	}

	/**
	 * Hand every coupon matching {@code query} to {@code sink}, in constant memory.
	 * @throws InvalidFieldException for a filter out of its rules
	 */
	public void export(CouponQuery query, Consumer<Listed> sink) {
		checkQuery(query);
		Instant now = now();
		this.store.export(query, now, (coupon) -> sink.accept(new Listed(coupon, coupon.statusAt(now))));
	}

	private static void checkQuery(CouponQuery query) {
		if (query.campaign() != null) {
			checkCampaign(query.campaign());
		}
		checkText("customerId", query.customerId(), REFERENCE, 64);
	}

	/** Coupons of {@code campaign} by status. */
	public Map<CouponStatus, Long> campaignStats(String campaign) {
		checkCampaign(campaign);
		return this.store.countByStatus(campaign, now());
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	/** A successful redemption: the first one, or a retry of it. */
	public record Redemption(Coupon coupon, boolean alreadyRedeemed) {
	}

	/**
	 * What a validation found.
	 *
	 * @param code the canonical code
	 * @param outcome {@link ValidationOutcome#VALID} or why not
	 * @param coupon the coupon; {@code null} when no coupon has the code
	 */
	public record Validation(String code, ValidationOutcome outcome, @Nullable Coupon coupon) {
	}

	/** A successful reversal: the coupon unused again, or a repeat of the reversal. */
	public record Reversal(Coupon coupon, boolean alreadyReversed) {
	}

	/**
	 * One page of a listing.
	 *
	 * @param coupons the coupons, in code order
	 * @param next the code to pass as {@code after} for the next page; {@code null} on
	 * the last page
	 */
	public record Page(List<Listed> coupons, @Nullable String next) {
	}

	/** A coupon of a listing, and the status it had when it was listed. */
	public record Listed(Coupon coupon, CouponStatus status) {
	}

	/**
	 * The answer to a status lookup.
	 *
	 * @param code the canonical code looked up
	 * @param coupon the coupon; {@code null} when no coupon has the code
	 * @param status the status the coupon has now; {@code null} exactly when
	 * {@code coupon} is
	 */
	public record Lookup(String code, @Nullable Coupon coupon, @Nullable CouponStatus status) {
	}

}
