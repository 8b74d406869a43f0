package com.example.couponservice.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the caller's address into the logging MDC for the duration of a request, so every
 * log line the service writes for it (and structured logs) names the client.
 */
class ClientAddressFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		MDC.put(ClientAddress.MDC_KEY, ClientAddress.of(request));
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(ClientAddress.MDC_KEY);
		}
	}

}
