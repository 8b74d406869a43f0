package com.example.couponservice.ratelimit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * Each budget counts per client address and, at the same time, per network around it
 * ({@link Scope}); a request must find a token in both, and the headers show the tighter
 * of the two. The client is {@link ClientAddress}: forwarded headers count only from the
 * trusted proxies ({@code coupon.security.trusted-proxies}).
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
		this.clientKeys = new ClientKeys(properties);
		this.problems = problems;
		this.metrics = metrics;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		CouponEndpoint endpoint = CouponEndpoint.of(request);
		Budget budget = (endpoint != null) ? endpoint.budget() : null;
		RateLimitProperties.Limit limit = (budget != null) ? this.properties.limit(budget) : null;
		if (budget == null || limit == null || (limit.capacity() == 0 && limit.networkCapacity() == 0)) {
			chain.doFilter(request, response);
			return;
		}
		ClientKeys.Keys keys = this.clientKeys.of(ClientAddress.of(request));
		List<Scope> scopes = new ArrayList<>(2);
		for (Scope scope : Scope.values()) {
			if (limit.capacity(scope) > 0) {
				scopes.add(scope);
			}
		}
		List<Decision> decisions;
		try {
			decisions = this.buckets.tryConsume(budget, scopes, keys::of);
		}
		catch (DataAccessException ex) {
			// Shared buckets unreachable: fail closed, as the store behind would.
			this.problems.fail(request, response, ex);
			return;
		}
		Decision tightest = null;
		Scope refusedBy = null;
		for (int i = 0; i < decisions.size(); i++) {
			Decision decision = decisions.get(i);
			if (tightest == null || !decision.allowed() || decision.remaining() < tightest.remaining()) {
				tightest = decision;
			}
			if (!decision.allowed()) {
				refusedBy = scopes.get(i);
			}
		}
		Objects.requireNonNull(tightest);
		response.setHeader(LIMIT_HEADER, Long.toString(tightest.limit()));
		response.setHeader(REMAINING_HEADER, Long.toString(tightest.remaining()));
		response.setHeader(RESET_HEADER, Long.toString(seconds(tightest.nanosToReset())));
		if (refusedBy == null) {
			chain.doFilter(request, response);
			return;
		}
		this.metrics.rejected(budget, refusedBy);
		if (tightest.firstRejection()) {
			logger.info("Rate limit triggered endpoint={} scope={} client={} limit={}", budget.tag(), refusedBy.tag(),
					keys.of(refusedBy), tightest.limit());
		}
		long retryAfter = Math.max(1, seconds(tightest.nanosToRefill()));
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		String whose = (refusedBy == Scope.ADDRESS) ? "this client" : "this client's network";
		this.problems.reject(request, response, HttpProblem.RATE_LIMITED, "too many " + budget.tag() + " requests from "
				+ whose + "; " + tightest.limit() + " are allowed per window, try again in " + retryAfter + " s");
	}

	private static long seconds(long nanos) {
		return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
	}

}
