package com.example.couponservice.ratelimit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import com.example.couponservice.coupon.web.CouponEndpoint;
import com.example.couponservice.coupon.web.CouponEndpoint.Budget;
import com.example.couponservice.ratelimit.RateLimitBuckets.Decision;
import com.example.couponservice.web.ClientAddress;
import com.example.couponservice.web.HttpProblem;
import com.example.couponservice.web.ProblemResponder;

/**
 * Spends one token of the caller's budget on every request to a limited endpoint,
 * whatever that request's outcome, and answers 429 without calling the application when
 * the budget is spent. Every response of a limited endpoint carries
 * {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset}
 * (seconds until the budget is full again); a 429 also carries {@code Retry-After}.
 * <p>
 * The caller is {@code getRemoteAddr()}: forwarded headers count only when Tomcat's
 * RemoteIpValve is turned on for trusted proxies.
 */
class RateLimitFilter extends OncePerRequestFilter {

	static final String LIMIT_HEADER = "X-RateLimit-Limit";

	static final String REMAINING_HEADER = "X-RateLimit-Remaining";

	static final String RESET_HEADER = "X-RateLimit-Reset";

	private static final Logger logger = LoggerFactory.getLogger(RateLimitFilter.class);

	private final RateLimitBuckets buckets;

	private final RateLimitProperties properties;

	private final ClientKeys clientKeys;

	private final ProblemResponder problems;

	private final RateLimitMetrics metrics;

	RateLimitFilter(RateLimitBuckets buckets, RateLimitProperties properties, ProblemResponder problems,
			RateLimitMetrics metrics) {
		this.buckets = buckets;
		this.properties = properties;
		this.clientKeys = new ClientKeys(properties.ipv6PrefixLength());
		this.problems = problems;
		this.metrics = metrics;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		CouponEndpoint endpoint = CouponEndpoint.of(request);
		Budget budget = (endpoint != null) ? endpoint.budget() : null;
		if (budget == null || !this.properties.limit(budget).enabled()) {
			chain.doFilter(request, response);
			return;
		}
		String client = this.clientKeys.keyOf(ClientAddress.of(request));
		Decision decision;
		try {
			decision = this.buckets.tryConsume(budget, client);
		}
		catch (DataAccessException ex) {
			// Shared buckets unreachable: fail closed, as the store behind would.
			this.problems.fail(request, response, ex);
			return;
		}
		response.setHeader(LIMIT_HEADER, Long.toString(decision.limit()));
		response.setHeader(REMAINING_HEADER, Long.toString(decision.remaining()));
		response.setHeader(RESET_HEADER, Long.toString(seconds(decision.nanosToReset())));
		if (decision.allowed()) {
			chain.doFilter(request, response);
			return;
		}
		this.metrics.rejected(budget);
		if (decision.firstRejection()) {
			logger.info("Rate limit triggered endpoint={} client={} limit={}", budget.tag(), client, decision.limit());
		}
		long retryAfter = Math.max(1, seconds(decision.nanosToRefill()));
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		this.problems.reject(request, response, HttpProblem.RATE_LIMITED,
				"too many " + budget.tag() + " requests from this client; " + decision.limit()
						+ " are allowed per window, try again in " + retryAfter + " s");
	}

	private static long seconds(long nanos) {
		return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
	}

}
