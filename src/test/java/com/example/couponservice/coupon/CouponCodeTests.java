package com.example.couponservice.coupon;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CouponCodeTests {

	@Test
	void alphabetHas32DistinctCharactersWithoutLookAlikes() {
		assertThat(CouponCode.ALPHABET).hasSize(32).doesNotContain("I", "O", "0", "1");
		assertThat(CouponCode.ALPHABET.chars().distinct().count()).isEqualTo(32);
		assertThat(CouponCode.SPACE).isEqualTo((long) Math.pow(32, 8)).isEqualTo(1_099_511_627_776L);
	}

	@Test
	void normaliseAcceptsWhatAPersonTypes() {
		assertThat(CouponCode.normalise("ab2c-4xyz")).isEqualTo("AB2C4XYZ");
		assertThat(CouponCode.normalise("  AB2C 4XYZ \t")).isEqualTo("AB2C4XYZ");
		assertThat(CouponCode.normalise("a-b-2-c-4-x-y-z")).isEqualTo("AB2C4XYZ");
		assertThat(CouponCode.normalise("AB2C4XYZ")).isEqualTo("AB2C4XYZ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "AB2C4XY", "AB2C4XYZA", "AB2C4XY0", "AB2C4XYI", "AB2C4XYO", "AB2C4XY1",
			"AB2C4XY_", "AB2C4XY\u0000", "ＡB2C4XYZ", "AB2C4XYZ\u200B", "AB2C.4XYZ", "AB2C4XYÄ" })
	void normaliseRejectsAnythingThatIsNotEightAlphabetCharacters(String raw) {
		assertThatExceptionOfType(InvalidCouponCodeException.class).isThrownBy(() -> CouponCode.normalise(raw));
	}

	@Test
	void normaliseRejectsNullAndOverlongInputWithoutScanningIt() {
		assertThatExceptionOfType(InvalidCouponCodeException.class).isThrownBy(() -> CouponCode.normalise(null))
			.withMessageContaining("required");
		assertThatExceptionOfType(InvalidCouponCodeException.class)
			.isThrownBy(() -> CouponCode.normalise("A".repeat(CouponCode.MAX_RAW_LENGTH + 1)))
			.withMessageContaining("too long");
	}

	@Test
	void packAndUnpackAreInverse() {
		assertThat(CouponCode.unpack(0)).isEqualTo("AAAAAAAA");
		assertThat(CouponCode.unpack(CouponCode.SPACE - 1)).isEqualTo("99999999");
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 10_000; i++) {
			long value = random.nextLong(CouponCode.SPACE);
			String code = CouponCode.unpack(value);
			assertThat(CouponCode.pack(code)).isEqualTo(value);
			assertThat(CouponCode.normalise(code)).isEqualTo(code);
		}
	}

	@Test
	void maskKeepsOnlyFirstAndLastTwoCharacters() {
		assertThat(CouponCode.mask("AB2C4XYZ")).isEqualTo("AB****YZ");
		assertThat(CouponCode.mask(null)).isEqualTo("********");
		assertThat(CouponCode.mask("AB")).isEqualTo("********");
	}

}
