package com.example.couponservice.coupon;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CodeGeneratorTests {

	/**
	 * Deterministic: SHA1PRNG seeded before first use gives the same stream every run.
	 */
	private static SecureRandom seeded(long seed) throws NoSuchAlgorithmException {
		SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
		random.setSeed(seed);
		return random;
	}

	@Test
	void codesAreEightCharactersOfTheAlphabet() throws Exception {
		CodeGenerator generator = new CodeGenerator(seeded(1));
		for (String code : generator.next(20_000)) {
			assertThat(code).hasSize(8).matches("[" + CouponCode.ALPHABET + "]{8}");
		}
		assertThat(new CodeGenerator(new SecureRandom()).next()).matches("[" + CouponCode.ALPHABET + "]{8}");
	}

	@Test
	void everyPositionIsUniformByChiSquare() throws Exception {
		int samples = 320_000;
		long[][] counts = new long[CouponCode.LENGTH][32];
		for (String code : new CodeGenerator(seeded(42)).next(samples)) {
			for (int position = 0; position < CouponCode.LENGTH; position++) {
				counts[position][CouponCode.ALPHABET.indexOf(code.charAt(position))]++;
			}
		}
		double expected = samples / 32.0;
		for (int position = 0; position < CouponCode.LENGTH; position++) {
			double chiSquare = 0;
			for (long observed : counts[position]) {
				chiSquare += (observed - expected) * (observed - expected) / expected;
			}
			// 31 degrees of freedom: P(chi2 > 61.1) = 0.001. A modulo bias of even one
			// letter getting 1 % more mass gives chi2 ≈ 100 at this sample size.
			assertThat(chiSquare).as("chi-square at position %d", position).isLessThan(61.1);
		}
	}

	@Test
	void aModuloBiasedSourceWouldFailTheSameBound() throws Exception {
		// Guard that the chi-square check above can fail: map 36 letters onto 32 with a
		// modulo, as a 36-letter alphabet cut to 32 would be, and the bound is exceeded.
		SecureRandom random = seeded(42);
		int samples = 320_000;
		long[] counts = new long[32];
		for (int i = 0; i < samples; i++) {
			counts[random.nextInt(36) % 32]++;
		}
		double expected = samples / 32.0;
		double chiSquare = 0;
		for (long observed : counts) {
			chiSquare += (observed - expected) * (observed - expected) / expected;
		}
		assertThat(chiSquare).isGreaterThan(61.1);
	}

	@Test
	void aLargeSampleHasNoDuplicates() throws Exception {
		String[] codes = new CodeGenerator(seeded(3)).next(200_000);
		Set<String> distinct = new HashSet<>(Set.of(codes));
		// Birthday bound: 200k draws from 2^40 collide with probability ~1.8 %; this
		// seed is known to give none.
		assertThat(distinct).hasSize(codes.length);
	}

}
