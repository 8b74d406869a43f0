package com.example.couponservice.coupon.web;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.example.couponservice.coupon.CouponConflictException;
import com.example.couponservice.coupon.CouponNotFoundException;
import com.example.couponservice.coupon.GenerationFailedException;
import com.example.couponservice.coupon.InvalidCouponCodeException;
import com.example.couponservice.coupon.InvalidFieldException;
import com.example.couponservice.coupon.StoreFullException;
import com.example.couponservice.web.HttpProblem;

/**
 * The coupon domain's exceptions as problem documents; everything else (malformed
 * requests, the database, the framework's own errors) is the web package's
 * {@code ApiExceptionHandler}.
 */
@RestControllerAdvice
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
		return respond(CouponProblem.STORE_FULL.problem(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> generationFailed(GenerationFailedException ex) {
		logger.error("Generation failed: {}", ex.getMessage());
		return respond(HttpProblem.SERVICE_UNAVAILABLE.problem("could not find an unused code; try again"));
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

}
