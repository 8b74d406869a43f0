package com.example.couponservice.coupon.web;

import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.example.couponservice.coupon.CouponConflictException;
import com.example.couponservice.coupon.CouponNotFoundException;
import com.example.couponservice.coupon.GenerationFailedException;
import com.example.couponservice.coupon.InvalidCouponCodeException;
import com.example.couponservice.coupon.InvalidFieldException;
import com.example.couponservice.coupon.StoreFullException;
import com.example.couponservice.web.HttpProblem;

/**
 * The coupon domain's exceptions, and failures of its database, as problem documents;
 * everything else (malformed requests, the framework's own errors) is the web package's
 * {@code ApiExceptionHandler}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class CouponExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(CouponExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidCode(InvalidCouponCodeException ex) {
		ProblemDetail problem = CouponProblem.INVALID_COUPON_CODE.problem(ex.getMessage());
		problem.setProperty("field", "code");
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidField(InvalidFieldException ex) {
		ProblemDetail problem = HttpProblem.INVALID_FIELD.problem(ex.getMessage());
		problem.setProperty("field", ex.getField());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(CouponNotFoundException ex) {
		ProblemDetail problem = CouponProblem.COUPON_NOT_FOUND.problem(ex.getMessage());
		problem.setProperty("code", ex.getCode());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> conflict(CouponConflictException ex) {
		CouponProblem type = switch (ex.getReason()) {
			case ALREADY_REDEEMED -> CouponProblem.COUPON_ALREADY_REDEEMED;
			case EXPIRED -> CouponProblem.COUPON_EXPIRED;
			case VOID -> CouponProblem.COUPON_VOID;
			case CUSTOMER_MISMATCH -> CouponProblem.COUPON_CUSTOMER_MISMATCH;
			case REFERENCE_MISMATCH -> CouponProblem.REFERENCE_MISMATCH;
			case NOT_REDEEMED -> CouponProblem.COUPON_NOT_REDEEMED;
		};
		ProblemDetail problem = type.problem(ex.getMessage());
		problem.setProperty("code", ex.getCode());
		Instant at = ex.getAt();
		if (at != null) {
			String name = switch (ex.getReason()) {
				case ALREADY_REDEEMED, REFERENCE_MISMATCH -> "redeemedAt";
				case EXPIRED -> "expiresAt";
				case VOID -> "voidedAt";
				case CUSTOMER_MISMATCH, NOT_REDEEMED -> "at";
			};
			problem.setProperty(name, at.toString());
		}
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> storeFull(StoreFullException ex) {
		logger.warn("Generation refused: {}", ex.getMessage());
		return respond(CouponProblem.STORE_FULL.problem(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> generationFailed(GenerationFailedException ex) {
		logger.error("Generation failed: {}", ex.getMessage());
		return respond(HttpProblem.SERVICE_UNAVAILABLE.problem("could not find an unused code; try again"));
	}

	/**
	 * The database is unreachable or overloaded: 503, retry. A request that reads changed
	 * nothing; one that changes a coupon may have been cut off after the database
	 * committed, so it cannot promise either way: retried with the same reference, a
	 * redemption that did go through answers as a repeat.
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			RecoverableDataAccessException.class, CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException ex, HttpServletRequest request) {
		logger.error("Database unavailable: {}", ex.getMessage());
		CouponEndpoint endpoint = CouponEndpoint.of(request);
		String detail = (endpoint != null && endpoint.changesCoupons())
				? "the coupon database is unavailable; the change may or may not have been applied: retry with the "
						+ "same reference"
				: "the coupon database is unavailable; nothing was changed, retry";
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(HttpProblem.SERVICE_UNAVAILABLE.problem(detail));
	}

	/**
	 * Any other database error is a bug (a constraint the service should have checked).
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> databaseError(DataAccessException ex) {
		logger.error("Unexpected database error", ex);
		return respond(HttpProblem.INTERNAL_ERROR.problem("an unexpected error occurred; it has been logged"));
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

}
