package com.example.couponservice.web;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.example.couponservice.coupon.CouponConflictException;
import com.example.couponservice.coupon.CouponNotFoundException;
import com.example.couponservice.coupon.GenerationFailedException;
import com.example.couponservice.coupon.InvalidCouponCodeException;
import com.example.couponservice.coupon.InvalidFieldException;
import com.example.couponservice.coupon.StoreFullException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps every error to an RFC 9457 problem document with a type from {@link ProblemType}:
 * the domain exceptions here, the framework's own (400, 404, 405, 406, 415) through
 * {@link ResponseEntityExceptionHandler}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/**
	 * A Java name in Jackson's backticks ({@code `java.time.Instant`}): never for
	 * clients.
	 */
	private static final Pattern JAVA_NAME = Pattern.compile("`[^`]*[.$][^`]*`");

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
		return respond(ProblemType.BAD_REQUEST
			.problem("the query string cannot be decoded: an invalid %-escape, or bytes that are not UTF-8"));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidCode(InvalidCouponCodeException ex) {
		ProblemDetail problem = ProblemType.INVALID_COUPON_CODE.problem(ex.getMessage());
		problem.setProperty("field", "code");
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidField(InvalidFieldException ex) {
		ProblemDetail problem = ProblemType.INVALID_FIELD.problem(ex.getMessage());
		problem.setProperty("field", ex.getField());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(CouponNotFoundException ex) {
		ProblemDetail problem = ProblemType.COUPON_NOT_FOUND.problem(ex.getMessage());
		problem.setProperty("code", ex.getCode());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> conflict(CouponConflictException ex) {
		ProblemType type = switch (ex.getReason()) {
			case ALREADY_REDEEMED -> ProblemType.COUPON_ALREADY_REDEEMED;
			case EXPIRED -> ProblemType.COUPON_EXPIRED;
			case VOID -> ProblemType.COUPON_VOID;
		};
		ProblemDetail problem = type.problem(ex.getMessage());
		problem.setProperty("code", ex.getCode());
		Instant at = ex.getAt();
		if (at != null) {
			String name = switch (ex.getReason()) {
				case ALREADY_REDEEMED -> "redeemedAt";
				case EXPIRED -> "expiresAt";
				case VOID -> "voidedAt";
			};
			problem.setProperty(name, at.toString());
		}
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> storeFull(StoreFullException ex) {
		logger.warn("Generation refused: {}", ex.getMessage());
		return respond(ProblemType.STORE_FULL.problem(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> generationFailed(GenerationFailedException ex) {
		logger.error("Generation failed: {}", ex.getMessage());
		return respond(ProblemType.SERVICE_UNAVAILABLE.problem("could not find an unused code; try again"));
	}

	/**
	 * The database is unreachable or overloaded: 503, retry. Statements are single and
	 * atomic, so a failed request changed nothing.
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			RecoverableDataAccessException.class, CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException ex) {
		logger.error("Database unavailable: {}", ex.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(ProblemType.SERVICE_UNAVAILABLE.problem("the coupon database is unavailable; nothing was changed"));
	}

	/**
	 * Any other database error is a bug (a constraint the service should have checked).
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> databaseError(DataAccessException ex) {
		logger.error("Unexpected database error", ex);
		return respond(ProblemType.INTERNAL_ERROR.problem("an unexpected error occurred; it has been logged"));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemType.MALFORMED_REQUEST.problem(describe(ex));
		if (ex.getCause() instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
			problem.setProperty("field", path(jackson));
		}
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	private static String describe(HttpMessageNotReadableException ex) {
		if (ex.getCause() instanceof UnrecognizedPropertyException unknown) {
			return "unknown field '" + unknown.getPropertyName() + "'";
		}
		if (ex.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
				&& mismatch.getTargetType() != null) {
			return "field '" + path(mismatch) + "' must be " + expected(mismatch.getTargetType());
		}
		if (ex.getCause() instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()) {
			// At the root: an array, string, number or boolean body, or more after the
			// object.
			return "request body must be a single JSON object";
		}
		if (ex.getCause() instanceof StreamConstraintsException) {
			return "request body is not valid JSON for this endpoint: a number, string or nesting depth is beyond "
					+ "the parser's limits";
		}
		if (ex.getCause() instanceof JacksonException jackson) {
			String where = jackson.getPath().isEmpty() ? "" : " at field '" + path(jackson) + "'";
			String what = jackson.getOriginalMessage();
			// Keep Jackson's first statement only, without its hints to Java developers.
			int end = indexOfAny(what, "\n", " (but could", " (through reference", ": Failed to", " (start marker at",
					" (not recognized as one", ": enable `");
			what = (end > 0) ? what.substring(0, end) : what;
			if (JAVA_NAME.matcher(what).find()) {
				what = "the body is not well-formed JSON";
			}
			return "request body is not valid JSON for this endpoint" + where + ": " + what;
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

	private static int indexOfAny(String text, String... needles) {
		int first = -1;
		for (String needle : needles) {
			int index = text.indexOf(needle);
			if (index > 0 && (first < 0 || index < first)) {
				first = index;
			}
		}
		return first;
	}

	private static String path(JacksonException ex) {
		return ex.getPath()
			.stream()
			.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
					: "[" + reference.getIndex() + "]")
			.collect(Collectors.joining("."));
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem
				&& (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
			problem.setType(ProblemType.forStatus(statusCode.value()).type());
			if (ex instanceof MissingServletRequestParameterException missing) {
				problem.setType(ProblemType.MISSING_PARAMETER.type());
				problem.setProperty("field", missing.getParameterName());
			}
		}
		return response;
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

}
