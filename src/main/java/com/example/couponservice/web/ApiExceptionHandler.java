package com.example.couponservice.web;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps the errors that belong to no one feature to RFC 9457 problem documents: requests a
 * filter refused, malformed bodies, an unavailable database, and the framework's own
 * errors (400, 404, 405, 406, 415) through {@link ResponseEntityExceptionHandler}. Each
 * feature maps its own exceptions (the coupon API's: {@code CouponExceptionHandler}).
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> rejected(RejectedRequestException ex) {
		return respond(ex.getType().problem(ex.getMessage()));
	}

	/**
	 * Tomcat could not decode the query string (an invalid %-escape, bytes that are not
	 * UTF-8). That is the client's error: a 400 like Tomcat's own, without the stack
	 * trace an unhandled exception would log at ERROR for every such request.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> undecodableQuery(InvalidParameterException ex) {
		logger.debug("Undecodable query string: {}", ex.getMessage());
		return respond(HttpProblem.BAD_REQUEST
			.problem("the query string cannot be decoded: an invalid %-escape, or bytes that are not UTF-8"));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = HttpProblem.MALFORMED_REQUEST.problem(describe(ex));
		if (ex.getCause() instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
			problem.setProperty("field", path(jackson));
		}
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	/**
	 * What was wrong with the body, from the type of Jackson's exception and its
	 * structured fields (path, target type, location), never from its English message.
	 */
	private static String describe(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return "unknown field '" + unknown.getPropertyName() + "'";
		}
		if (cause instanceof MismatchedInputException mismatch) {
			Class<?> target = mismatch.getTargetType();
			if (!mismatch.getPath().isEmpty() && target != null) {
				return "field '" + path(mismatch) + "' must be " + expected(target);
			}
			// At the root: an array, string, number or boolean body, or more after the
			// object.
			return "request body must be a single JSON object";
		}
		if (cause instanceof StreamConstraintsException) {
			return "request body is not valid JSON for this endpoint: a number, string or nesting depth is beyond "
					+ "the parser's limits";
		}
		if (cause instanceof InputCoercionException number && !number.getPath().isEmpty()) {
			return "field '" + path(number) + "' must be " + expected(number.getTargetType());
		}
		if (cause instanceof UnexpectedEndOfInputException) {
			return "request body ends before its JSON is complete";
		}
		if (cause instanceof StreamReadException syntax) {
			String field = syntax.getPath().isEmpty() ? "" : " in field '" + path(syntax) + "'";
			TokenStreamLocation location = syntax.getLocation();
			String where = (location != null && location.getLineNr() > 0)
					? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
			return "request body is not well-formed JSON" + where + field
					+ ": broken syntax, a duplicate field or a character JSON does not allow";
		}
		if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
			return "request body is not valid JSON for this endpoint at field '" + path(jackson) + "'";
		}
		return "request body is missing or unreadable";
	}

	/** What a field of this Java type looks like in JSON, for an error message. */
	private static String expected(Class<?> type) {
		if (type == String.class) {
			return "a string";
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "a whole number within range";
		}
		if (Map.class.isAssignableFrom(type)) {
			return "an object whose values are strings";
		}
		return "a JSON value of the right type";
	}

	private static String path(JacksonException ex) {
		return ex.getPath()
			.stream()
			.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
					: "[" + reference.getIndex() + "]")
			.collect(Collectors.joining("."));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem
				&& (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
			problem.setType(HttpProblem.forStatus(statusCode.value()).type());
			if (ex instanceof MissingServletRequestParameterException missing) {
				problem.setType(HttpProblem.MISSING_PARAMETER.type());
				problem.setProperty("field", missing.getParameterName());
			}
		}
		return response;
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

}
