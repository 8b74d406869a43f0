package com.example.couponservice.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SecurityPropertiesTests {

	private static final String GOOD = "Tq3Hs5bX9vKfWc1mZ8yLr2pN7dJ4gE6u";

	@Test
	void withTheTokenRequiredAShortTokenIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> new SecurityProperties("s3cr3t", true, List.of()))
			.withMessageContaining("at least 32 characters");
		assertThatIllegalStateException().isThrownBy(() -> new SecurityProperties(GOOD.substring(1), true, List.of()))
			.withMessageContaining("it has 31");
	}

	@Test
	void withTheTokenRequiredThePlaceholderOfTheDocsIsRefused() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new SecurityProperties(SecurityProperties.DOCUMENTED_PLACEHOLDER, true, List.of()))
			.withMessageContaining("placeholder");
	}

	@Test
	void withTheTokenRequiredNoTokenIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> new SecurityProperties(" ", true, List.of()))
			.withMessageContaining("COUPON_SECURITY_ADMIN_TOKEN");
	}

	@Test
	void aLongRandomTokenIsAccepted() {
		assertThat(new SecurityProperties(GOOD, true, List.of()).adminToken()).isEqualTo(GOOD);
		// Without the requirement (a developer's machine) a short token is the operator's
		// call.
		assertThat(new SecurityProperties("dev", false, List.of()).adminToken()).isEqualTo("dev");
	}

	@Test
	void trustedProxiesBecomeTheCidrsTomcatReads() {
		assertThat(TrustedProxies.cidrs(List.of("10.0.4.17", "10.0.5.0/28", "2001:db8::/64", "2001:DB8::1")))
			.isEqualTo("10.0.4.17/32,10.0.5.0/28,2001:db8::/64,2001:db8::1/128");
	}

	@Test
	void aTrustedProxyThatIsNotAnAddressOrCidrIsRefused() {
		for (String bad : new String[] { "proxy.internal", "10.0.4.0/33", "10.0.4.0/", "10.0.4.17:8080", "::1/129",
				"10.0.4/24" }) {
			assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).as(bad)
				.isThrownBy(() -> TrustedProxies.cidrs(List.of(bad)))
				.withMessageContaining("coupon.security.trusted-proxies");
		}
	}

}
