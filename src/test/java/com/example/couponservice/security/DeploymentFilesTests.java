package com.example.couponservice.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a newcomer copies: the Dockerfile's image and the examples of docs/deploy.md must
 * be safe as they stand (no Docker engine here to run them, so their text is checked).
 */
class DeploymentFilesTests {

	@Test
	void theImageRunsTheProdProfile() throws IOException {
		String dockerfile = Files.readString(Path.of("Dockerfile"));
		assertThat(dockerfile).containsPattern("(?m)^ENV SPRING_PROFILES_ACTIVE=prod$");
		// Set after the AOT training run, which starts the application without a token.
		assertThat(dockerfile.indexOf("ENV SPRING_PROFILES_ACTIVE=prod"))
			.isGreaterThan(dockerfile.indexOf("-XX:AOTCacheOutput"));
	}

	@Test
	void theDeployExamplesTrustNoWholeNetworkAndNoPlaceholderToken() throws IOException {
		String deploy = Files.readString(Path.of("docs", "deploy.md"));
		Matcher trusted = Pattern.compile("COUPON_SECURITY_TRUSTEDPROXIES, value: \"([^\"]+)\"").matcher(deploy);
		int examples = 0;
		while (trusted.find()) {
			examples++;
			for (String cidr : TrustedProxies.cidrs(List.of(trusted.group(1).split(","))).split(",")) {
				int length = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
				assertThat(length).as(cidr).isGreaterThanOrEqualTo(cidr.contains(":") ? 64 : 24);
			}
		}
		assertThat(examples).isPositive();
		assertThat(deploy).doesNotContain("SERVER_FORWARDHEADERSSTRATEGY", "INTERNALPROXIES");
		assertThat(deploy).contains(SecurityProperties.DOCUMENTED_PLACEHOLDER);
	}

}
