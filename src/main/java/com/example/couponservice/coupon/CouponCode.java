package com.example.couponservice.coupon;

import org.jspecify.annotations.Nullable;

/**
 * The coupon code format: 8 characters of a 32-letter alphabet without the look-alikes I,
 * O, 0 and 1. Each character carries exactly 5 bits, so a code is a 40-bit number and the
 * stores key coupons by that number (a {@code long}) instead of by a string.
 */
public final class CouponCode {

	/** The 32 characters a code is made of, in the order of their 5-bit values. */
	public static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	/** Characters in a code. */
	public static final int LENGTH = 8;

	/** Number of distinct codes: 32^8 = 2^40. */
	public static final long SPACE = 1L << (5 * LENGTH);

	/** Longest raw input the normaliser looks at; anything longer cannot be a code. */
	static final int MAX_RAW_LENGTH = 64;

	/** The alphabet in ASCII order: digits before letters. */
	private static final String ASCII_ORDER = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

	private static final byte[] VALUES = new byte[128];

	private static final byte[] RANKS = new byte[128];

	static {
		java.util.Arrays.fill(VALUES, (byte) -1);
		for (int i = 0; i < ALPHABET.length(); i++) {
			VALUES[ALPHABET.charAt(i)] = (byte) i;
			RANKS[ASCII_ORDER.charAt(i)] = (byte) i;
		}
	}

	private CouponCode() {
	}

	/**
	 * Normalise a code the way a person types it: trim, upper-case ASCII letters, drop
	 * spaces and {@code -}. Returns the canonical 8-character code.
	 * @throws InvalidCouponCodeException if what remains is not exactly 8 characters of
	 * the alphabet
	 */
	public static String normalise(@Nullable String raw) {
		if (raw == null) {
			throw new InvalidCouponCodeException("code is required");
		}
		if (raw.length() > MAX_RAW_LENGTH) {
			throw new InvalidCouponCodeException("code is too long to be a coupon code");
		}
		StringBuilder canonical = new StringBuilder(LENGTH);
		String stripped = raw.strip();
		for (int i = 0; i < stripped.length(); i++) {
			char c = stripped.charAt(i);
			if (c == ' ' || c == '-') {
				continue;
			}
			// ASCII case folding only: Unicode's would turn the look-alikes U+017F (long
			// s)
			// into S and U+00DF (sharp s) into SS, letting them name a real code.
			if (c >= 'a' && c <= 'z') {
				c = (char) (c - ('a' - 'A'));
			}
			if (c >= VALUES.length || VALUES[c] < 0) {
				throw new InvalidCouponCodeException(
						"code may only contain the characters " + ALPHABET + " (spaces and '-' are ignored)");
			}
			canonical.append(c);
		}
		if (canonical.length() != LENGTH) {
			throw new InvalidCouponCodeException("code must have exactly " + LENGTH + " characters of " + ALPHABET
					+ ", found " + canonical.length());
		}
		return canonical.toString();
	}

	/** The 40-bit number of a canonical code. */
	public static long pack(String code) {
		if (code.length() != LENGTH) {
			throw new IllegalArgumentException("not a canonical code");
		}
		long packed = 0;
		for (int i = 0; i < LENGTH; i++) {
			char c = code.charAt(i);
			int value = (c < VALUES.length) ? VALUES[c] : -1;
			if (value < 0) {
				throw new IllegalArgumentException("not a canonical code");
			}
			packed = (packed << 5) | value;
		}
		return packed;
	}

	/** The canonical code of a 40-bit number. */
	public static String unpack(long packed) {
		if (packed < 0 || packed >= SPACE) {
			throw new IllegalArgumentException("not a 40-bit code");
		}
		char[] chars = new char[LENGTH];
		for (int i = LENGTH - 1; i >= 0; i--) {
			chars[i] = ALPHABET.charAt((int) (packed & 31));
			packed >>>= 5;
		}
		return new String(chars);
	}

	/**
	 * A 40-bit number of a canonical code whose numeric order is the codes' ASCII order,
	 * the order listings go in (as PostgreSQL's {@code ORDER BY code} and Redis's
	 * lexicographic ranges go).
	 */
	public static long orderKey(String code) {
		long key = 0;
		for (int i = 0; i < LENGTH; i++) {
			key = (key << 5) | RANKS[code.charAt(i)];
		}
		return key;
	}

	/** The canonical code of an {@link #orderKey}. */
	public static String fromOrderKey(long key) {
		char[] chars = new char[LENGTH];
		for (int i = LENGTH - 1; i >= 0; i--) {
			chars[i] = ASCII_ORDER.charAt((int) (key & 31));
			key >>>= 5;
		}
		return new String(chars);
	}

	/** The code as it may appear in a log line: first two and last two characters. */
	public static String mask(@Nullable String code) {
		if (code == null || code.length() < LENGTH) {
			return "********";
		}
		return code.substring(0, 2) + "****" + code.substring(code.length() - 2);
	}

}
