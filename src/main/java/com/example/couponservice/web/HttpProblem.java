package com.example.couponservice.web;

import org.springframework.http.HttpStatus;

/**
 * The problem types that are not about any one feature: malformed requests, missing
 * tokens, rate limits, an unavailable database, and what the framework and the container
 * answer by themselves.
 */
public enum HttpProblem implements ProblemType {

	INVALID_FIELD(HttpStatus.BAD_REQUEST, "Invalid field", "a field breaks its rule; the field property names it"),

	MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request",
			"the body is not JSON of the expected shape: broken syntax, a wrong type, a duplicate or unknown field"),

	MISSING_PARAMETER(HttpStatus.BAD_REQUEST, "Missing parameter", "a required query parameter is missing"),

	BAD_REQUEST(HttpStatus.BAD_REQUEST, "Bad request", "the request cannot be understood"),

	UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized",
			"an admin endpoint was called without the right Authorization: Bearer token"),

	NOT_FOUND(HttpStatus.NOT_FOUND, "Not found", "no endpoint has this path"),

	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
			"the endpoint does not accept this HTTP method"),

	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable",
			"the endpoint cannot answer in a media type the Accept header allows"),

	PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large", "the request body is larger than 4 KiB"),

	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
			"the body is not application/json, or is compressed"),

	RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
			"the caller spent its budget for this endpoint; Retry-After says when to try again"),

	HTTP_VERSION_NOT_SUPPORTED(HttpStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP version not supported",
			"the request uses an HTTP version other than 1.0, 1.1 or 2"),

	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "an unexpected error; it is logged"),

	SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
			"the database is unreachable or no free code was found; nothing changed, retry later");

	private final HttpStatus status;

	private final String title;

	private final String description;

	HttpProblem(HttpStatus status, String title, String description) {
		this.status = status;
		this.title = title;
		this.description = description;
	}

	@Override
	public HttpStatus status() {
		return this.status;
	}

	@Override
	public String title() {
		return this.title;
	}

	@Override
	public String description() {
		return this.description;
	}

	/** The generic type for a status the framework or the container answered with. */
	static HttpProblem forStatus(int status) {
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
			case 505 -> HTTP_VERSION_NOT_SUPPORTED;
			default -> (status >= 500) ? INTERNAL_ERROR : BAD_REQUEST;
		};
	}

}
