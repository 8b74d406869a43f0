package com.example.couponservice.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.ModelAndView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body limit holds whatever a request declares about its length: an HTTP/2 request
 * carries neither Content-Length nor Transfer-Encoding, and must still not get a body
 * past the limit to the parser.
 */
class RequestBodyLimitFilterTests {

	private static final int LIMIT = 100;

	private final AtomicReference<String> rejected = new AtomicReference<>();

	/** Records which problem the filter answered with instead of rendering it. */
	private final RequestBodyLimitFilter filter = new RequestBodyLimitFilter((request) -> LIMIT,
			new ProblemResponder((request, response, handler, ex) -> {
				this.rejected.set(((RejectedRequestException) ex).getType().name());
				return new ModelAndView();
			}));

	/** A request whose length nobody declared, as an HTTP/2 request arrives. */
	private static MockHttpServletRequest undeclared(String protocol, int bytes) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/redeem-coupon") {

			@Override
			public int getContentLength() {
				return -1;
			}

			@Override
			public long getContentLengthLong() {
				return -1;
			}

		};
		request.setProtocol(protocol);
		request.setContent("x".repeat(bytes).getBytes());
		return request;
	}

	private ServletRequest passed(MockHttpServletRequest request) throws ServletException, IOException {
		AtomicReference<ServletRequest> passed = new AtomicReference<>();
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> passed.set(req));
		return passed.get();
	}

	@Test
	void anHttp2BodyOverTheLimitIsRefusedThoughItDeclaresNoLength() throws Exception {
		assertThat(passed(undeclared("HTTP/2.0", LIMIT + 1))).isNull();
		assertThat(this.rejected.get()).isEqualTo("PAYLOAD_TOO_LARGE");
	}

	@Test
	void anHttp2BodyWithinTheLimitIsPassedOnWhole() throws Exception {
		ServletRequest passed = passed(undeclared("HTTP/2.0", LIMIT));
		assertThat(passed).isNotNull();
		assertThat(passed.getInputStream().readAllBytes()).hasSize(LIMIT);
		assertThat(this.rejected.get()).isNull();
	}

	@Test
	void aChunkedHttp11BodyOverTheLimitIsRefused() throws Exception {
		MockHttpServletRequest request = undeclared("HTTP/1.1", LIMIT + 1);
		request.addHeader("Transfer-Encoding", "chunked");
		assertThat(passed(request)).isNull();
		assertThat(this.rejected.get()).isEqualTo("PAYLOAD_TOO_LARGE");
	}

	@Test
	void aDeclaredLengthOverTheLimitIsRefusedUnread() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/redeem-coupon");
		request.setContent(new byte[LIMIT + 1]);
		assertThat(passed(request)).isNull();
		assertThat(this.rejected.get()).isEqualTo("PAYLOAD_TOO_LARGE");
	}

}
