package com.example.couponservice.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import com.example.couponservice.coupon.web.CouponEndpoint;
import com.example.couponservice.web.HttpProblem;
import com.example.couponservice.web.ProblemResponder;

/**
 * Requires {@code Authorization: Bearer <admin token>} on the operator endpoints, those
 * {@link CouponEndpoint} marks as admin. The token is compared through its SHA-256 digest
 * with {@link MessageDigest#isEqual}, which takes the same time whatever the input, so
 * neither the token's content nor its length leaks through timing.
 */
class AdminTokenFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	/** {@code null} when no token is configured: admin endpoints are open. */
	private final byte @Nullable [] expectedDigest;

	private final ProblemResponder problems;

	AdminTokenFilter(@Nullable String adminToken, ProblemResponder problems) {
		this.expectedDigest = (adminToken != null) ? sha256(adminToken) : null;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return this.expectedDigest == null || !CouponEndpoint.isAdminPath(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String token = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (token != null && MessageDigest.isEqual(sha256(token), this.expectedDigest)) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, (token == null) ? "Bearer realm=\"coupon-admin\""
				: "Bearer realm=\"coupon-admin\", error=\"invalid_token\"");
		this.problems.reject(request, response, HttpProblem.UNAUTHORIZED, (token == null)
				? "this endpoint requires Authorization: Bearer <admin token>" : "the admin token is not valid");
	}

	@Nullable private static String bearerToken(@Nullable String authorization) {
		if (authorization == null || authorization.length() <= BEARER.length()
				|| !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return null;
		}
		return authorization.substring(BEARER.length()).strip();
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

}
