package com.example.couponservice.coupon.redis;

import com.example.couponservice.coupon.CouponQuery;
import com.example.couponservice.coupon.CouponStatus;

/**
 * The key layout of the store. A Lua script may touch the keys of one hash slot only, so
 * a coupon and every index entry and count that changes with it share a hash tag: its
 * shard. The shard is the code's first two characters ({@link #SHARDS} = 32 x 32 of
 * them), so the shards are contiguous ranges of the code order, and a listing in code
 * order walks the shards one after the other instead of merging all of them; random codes
 * spread evenly over them, and 1024 tags spread evenly over the masters.
 * <p>
 * Under the shard's base {@code <prefix>{AB}:} live:
 * <ul>
 * <li>{@code c:<code>}: the coupon, a hash;</li>
 * <li>{@code e:<code>}: its events after {@code GENERATED}, a list of JSON objects;</li>
 * <li>{@code all}, {@code st:<status>}, {@code ca:<campaign>}, {@code cu:<customer>}:
 * sorted sets of codes (score 0, ordered by {@code ZRANGEBYLEX}) of every visible coupon,
 * by stored status, by campaign, by customer;</li>
 * <li>{@code xp}, {@code xc:<campaign>}: unused coupons with an expiry, scored by it, so
 * the expired ones are counted with {@code ZCOUNT} at read time;</li>
 * <li>{@code nc:<campaign>}: the campaign's counts by stored status, a hash.</li>
 * </ul>
 */
final class CouponKeys {

	/** Shards: the first two characters of a code, 32 x 32. */
	static final int SHARDS = 1024;

	/** The alphabet in ASCII order: shard numbers follow the code order. */
	private static final String ASCII_ORDER = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

	private final String prefix;

	CouponKeys(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * The shard of {@code code}: its first two characters as numbers in the code order. A
	 * character outside the alphabet counts as the next one up (or as the last), so the
	 * shard never decreases along the code order, whatever a store is handed.
	 */
	static int shard(String code) {
		char c = charAt(code, 0);
		int first = rank(c);
		if (first == ASCII_ORDER.length()) {
			return SHARDS - 1;
		}
		if (ASCII_ORDER.charAt(first) != c) {
			// Before every code that starts with the next alphabet character.
			return first * 32;
		}
		return first * 32 + Math.min(31, rank(charAt(code, 1)));
	}

	private static char charAt(String code, int index) {
		return (index < code.length()) ? code.charAt(index) : ' ';
	}

	/** How many alphabet characters sort before {@code c}. */
	private static int rank(char c) {
		int rank = 0;
		while (rank < ASCII_ORDER.length() && ASCII_ORDER.charAt(rank) < c) {
			rank++;
		}
		return rank;
	}

	/** {@code <prefix>{AB}:}, the start of every key of a shard. */
	String base(int shard) {
		return this.prefix + "{" + ASCII_ORDER.charAt(shard / 32) + ASCII_ORDER.charAt(shard % 32) + "}:";
	}

	String base(String code) {
		return base(shard(code));
	}

	String coupon(String code) {
		return base(code) + "c:" + code;
	}

	String events(String code) {
		return base(code) + "e:" + code;
	}

	/** The shard's index of every visible code: the scripts' routing key for reads. */
	String all(int shard) {
		return base(shard) + "all";
	}

	/**
	 * The index a listing of {@code query} walks in {@code shard}: the narrowest one the
	 * filters name (customer, campaign, stored status); the script checks the rest.
	 */
	String index(int shard, CouponQuery query) {
		if (query.customerId() != null) {
			return base(shard) + "cu:" + query.customerId();
		}
		if (query.campaign() != null) {
			return base(shard) + "ca:" + query.campaign();
		}
		if (query.status() != null) {
			CouponStatus stored = (query.status() == CouponStatus.EXPIRED) ? CouponStatus.UNUSED : query.status();
			return base(shard) + "st:" + stored.name();
		}
		return all(shard);
	}

}
