package com.example.couponservice.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Lets servlet filters answer with the same problem documents as controllers, by handing
 * their exception to Spring MVC's exception resolvers (and so to
 * {@link ApiExceptionHandler}).
 */
@Component
public class ProblemResponder {

	private final HandlerExceptionResolver resolver;

	ProblemResponder(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
		this.resolver = resolver;
	}

	public void reject(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail) {
		fail(request, response, new RejectedRequestException(type, detail));
	}

	/** Answer with the problem document the exception handler gives {@code ex}. */
	public void fail(HttpServletRequest request, HttpServletResponse response, RuntimeException ex) {
		this.resolver.resolveException(request, response, null, ex);
	}

}
