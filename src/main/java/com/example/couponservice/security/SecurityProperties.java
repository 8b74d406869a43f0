package com.example.couponservice.security;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operator authentication and the proxies the service trusts ({@code coupon.security.*}).
 *
 * @param adminToken the bearer token that admin endpoints (generation, void, reversal,
 * listing, events, campaign stats) require; when unset they are open (convenient on a
 * developer's machine), and a warning is logged at startup. Set it with
 * {@code COUPON_SECURITY_ADMIN_TOKEN}
 * @param requireAdminToken refuse to start without an admin token of at least
 * {@value #MIN_TOKEN_LENGTH} characters that is not the placeholder of the docs (on in
 * the {@code prod} profile)
 * @param trustedProxies addresses and CIDRs (e.g.
 * {@code 10.0.4.17,10.0.5.0/28,2001:db8::/64}) of the proxies whose
 * {@code X-Forwarded-For} names the client; empty (the default) ignores forwarded headers
 * on every platform
 */
@ConfigurationProperties("coupon.security")
public record SecurityProperties(@Nullable String adminToken, @DefaultValue("false") boolean requireAdminToken,
		@DefaultValue List<String> trustedProxies) {

	/** The shortest admin token {@code require-admin-token} accepts. */
	public static final int MIN_TOKEN_LENGTH = 32;

	/**
	 * The example token of README and docs/deploy.md, which must never be the real one.
	 */
	static final String DOCUMENTED_PLACEHOLDER = "replace-me-with-32-or-more-random-characters";

	public SecurityProperties {
		if (adminToken != null && adminToken.isBlank()) {
			adminToken = null;
		}
		if (requireAdminToken) {
			if (adminToken == null) {
				throw new IllegalStateException(
						"coupon.security.admin-token (COUPON_SECURITY_ADMIN_TOKEN) must be set: "
								+ "coupon.security.require-admin-token is on (it is in the prod profile)");
			}
			if (adminToken.strip().length() < MIN_TOKEN_LENGTH) {
				throw new IllegalStateException(
						"coupon.security.admin-token must have at least " + MIN_TOKEN_LENGTH + " characters (it has "
								+ adminToken.strip().length() + "): generate one with " + "'openssl rand -base64 32'");
			}
			if (adminToken.strip().equals(DOCUMENTED_PLACEHOLDER)) {
				throw new IllegalStateException("coupon.security.admin-token is the placeholder of the documentation; "
						+ "generate a token of your own with 'openssl rand -base64 32'");
			}
		}
	}

}
