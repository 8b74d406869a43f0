package com.example.couponservice.web;

import java.net.URI;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A kind of error this service answers with, as an RFC 9457 problem document. Each has a
 * stable {@code type} URI relative to the service ({@code /problems/<kind>}), derived
 * from its constant's name, which clients may switch on. The generic kinds are
 * {@link HttpProblem}; each feature adds its own enum (the coupon API's are in
 * {@code coupon.web.CouponProblem}). README and docs/api.md list them all.
 */
public interface ProblemType {

	/** The constant's name, e.g. {@code RATE_LIMITED}. */
	String name();

	HttpStatus status();

	String title();

	/** When a client gets this problem. */
	String description();

	/** The stable type, e.g. {@code /problems/rate-limited}. */
	default URI type() {
		return URI.create("/problems/" + name().toLowerCase(Locale.ROOT).replace('_', '-'));
	}

	/**
	 * A problem document of this type saying {@code detail}, or the type's description
	 * when there is none.
	 */
	default ProblemDetail problem(@Nullable String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status(), (detail != null) ? detail : description());
		problem.setType(type());
		problem.setTitle(title());
		return problem;
	}

}
