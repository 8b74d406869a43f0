package com.example.couponservice.web;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The catalogue of problem types this service answers with. Each has a stable
 * {@code type} URI, relative to the service ({@code /problems/<kind>}), which clients
 * may switch on; README and docs/api.md list them.
 */
public enum ProblemType {

	INVALID_COUPON_CODE(HttpStatus.BAD_REQUEST, "Invalid coupon code"),

	INVALID_FIELD(HttpStatus.BAD_REQUEST, "Invalid field"),

	MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),

	MISSING_PARAMETER(HttpStatus.BAD_REQUEST, "Missing parameter"),

	BAD_REQUEST(HttpStatus.BAD_REQUEST, "Bad request"),

	UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized"),

	NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),

	COUPON_NOT_FOUND(HttpStatus.NOT_FOUND, "Coupon not found"),

	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),

	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),

	COUPON_ALREADY_REDEEMED(HttpStatus.CONFLICT, "Coupon already redeemed"),

	COUPON_EXPIRED(HttpStatus.CONFLICT, "Coupon expired"),

	COUPON_VOID(HttpStatus.CONFLICT, "Coupon void"),

	PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large"),

	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),

	RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),

	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),

	SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),

	STORE_FULL(HttpStatus.INSUFFICIENT_STORAGE, "Coupon store full");

	private final HttpStatus status;

	private final String title;

	private final URI type;

	ProblemType(HttpStatus status, String title) {
		this.status = status;
		this.title = title;
		this.type = URI.create("/problems/" + name().toLowerCase(Locale.ROOT).replace('_', '-'));
	}

	public HttpStatus status() {
		return this.status;
	}

	public URI type() {
		return this.type;
	}

	/** A problem document of this type saying {@code detail}. */
	public ProblemDetail problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.status, detail);
		problem.setType(this.type);
		problem.setTitle(this.title);
		return problem;
	}

	/** The generic type for a status the framework answered with. */
	static ProblemType forStatus(int status) {
		return switch (status) {
			case 400 -> BAD_REQUEST;
			case 401 -> UNAUTHORIZED;
			case 404 -> NOT_FOUND;
			case 405 -> METHOD_NOT_ALLOWED;
			case 406 -> NOT_ACCEPTABLE;
			case 413 -> PAYLOAD_TOO_LARGE;
			case 415 -> UNSUPPORTED_MEDIA_TYPE;
			case 429 -> RATE_LIMITED;
			case 503 -> SERVICE_UNAVAILABLE;
			case 507 -> STORE_FULL;
			default -> (status >= 500) ? INTERNAL_ERROR : BAD_REQUEST;
		};
	}

}
