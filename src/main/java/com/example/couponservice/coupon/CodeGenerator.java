package com.example.couponservice.coupon;

import java.security.SecureRandom;

/**
 * Draws codes from a {@link SecureRandom}. Each code is 40 random bits read as eight
 * 5-bit digits of the 32-letter alphabet: a power of two, so there is no modulo bias.
 */
public class CodeGenerator {

	private static final int BYTES_PER_CODE = 5;

	private final SecureRandom random;

	public CodeGenerator(SecureRandom random) {
		this.random = random;
	}

	/** One fresh random code. */
	public String next() {
		return next(1)[0];
	}

	/** {@code count} random codes from a single draw of the random source. */
	public String[] next(int count) {
		byte[] bytes = new byte[count * BYTES_PER_CODE];
		this.random.nextBytes(bytes);
		String[] codes = new String[count];
		for (int i = 0; i < count; i++) {
			long packed = 0;
			for (int b = 0; b < BYTES_PER_CODE; b++) {
				packed = (packed << 8) | (bytes[i * BYTES_PER_CODE + b] & 0xFF);
			}
			codes[i] = CouponCode.unpack(packed);
		}
		return codes;
	}

}
