package com.example.couponservice.security;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operator authentication ({@code coupon.security.*}).
 *
 * @param adminToken the bearer token that admin endpoints (generation, void, campaign
 * stats) require; when unset they are open (convenient on a developer's machine), and a
 * warning is logged at startup. Set it with {@code COUPON_SECURITY_ADMIN_TOKEN}
 * @param requireAdminToken refuse to start without an admin token (on in the {@code prod}
 * profile)
 */
@ConfigurationProperties("coupon.security")
public record SecurityProperties(@Nullable String adminToken, @DefaultValue("false") boolean requireAdminToken) {

	public SecurityProperties {
		if (adminToken != null && adminToken.isBlank()) {
			adminToken = null;
		}
		if (requireAdminToken && adminToken == null) {
			throw new IllegalStateException("coupon.security.admin-token (COUPON_SECURITY_ADMIN_TOKEN) must be set: "
					+ "coupon.security.require-admin-token is on (it is in the prod profile)");
		}
	}

}
