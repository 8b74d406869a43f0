package com.example.couponservice.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.function.ToIntFunction;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over the limit of their endpoint (413) and bodies in a content
 * coding such as gzip (415), before anything parses them. A body with a
 * {@code Content-Length} is judged by it; a body of undeclared length (chunked, or
 * HTTP/2) is read up to the limit first.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

	private final ToIntFunction<HttpServletRequest> maxBytes;

	private final ProblemResponder problems;

	/**
	 * @param maxBytes the largest body each request may have, e.g. by its endpoint
	 */
	public RequestBodyLimitFilter(ToIntFunction<HttpServletRequest> maxBytes, ProblemResponder problems) {
		this.maxBytes = maxBytes;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
		if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.strip())) {
			this.problems.reject(request, response, HttpProblem.UNSUPPORTED_MEDIA_TYPE,
					"request bodies must not be compressed (Content-Encoding: identity only)");
			return;
		}
		int maxBytes = this.maxBytes.applyAsInt(request);
		long length = request.getContentLengthLong();
		if (length > maxBytes) {
			tooLarge(request, response, maxBytes);
			return;
		}
		if (length < 0 && mayHaveBody(request)) {
			byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
			if (body.length > maxBytes) {
				tooLarge(request, response, maxBytes);
				return;
			}
			chain.doFilter(new BufferedBodyRequest(request, body), response);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * Whether a request that declares no length may still carry a body: a chunked one, or
	 * any request of a protocol other than HTTP/1.x (an HTTP/2 request has neither
	 * Content-Length nor Transfer-Encoding). An HTTP/1.x request with neither has no body
	 * at all.
	 */
	private static boolean mayHaveBody(HttpServletRequest request) {
		return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || !request.getProtocol().startsWith("HTTP/1.");
	}

	private void tooLarge(HttpServletRequest request, HttpServletResponse response, int maxBytes) {
		this.problems.reject(request, response, HttpProblem.PAYLOAD_TOO_LARGE,
				"request body is larger than " + maxBytes + " bytes");
	}

	/** A request whose (small) body was already read into memory. */
	private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("blocking reads only");
				}

			};
		}

	}

}
