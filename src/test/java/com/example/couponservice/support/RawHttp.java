package com.example.couponservice.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a plain socket, for what {@code java.net.http} cannot do
 * on Java 17: bind the client to a chosen loopback address (every 127.x.y.z is this
 * machine on Linux), and send requests byte for byte as given.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Send {@code request} (head and body, CRLF line ends; a {@code Connection: close}
	 * header is added) from {@code clientAddress} to 127.0.0.1:{@code port}.
	 */
	public static Response send(String clientAddress, int port, String request) throws IOException {
		return send(clientAddress, port, request.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Send {@code request} byte for byte (so it may hold bytes that are not UTF-8), with
	 * a {@code Connection: close} header added at the end of its head; a request without
	 * a blank line after its head is sent exactly as given.
	 */
	public static Response send(String clientAddress, int port, byte[] request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(clientAddress), 0));
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(withConnectionClose(request));
			out.flush();
			InputStream in = socket.getInputStream();
			return Response.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	private static byte[] withConnectionClose(byte[] request) {
		byte[] blankLine = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		int headEnd = indexOf(request, blankLine);
		if (headEnd < 0) {
			return request;
		}
		byte[] header = "\r\nConnection: close".getBytes(StandardCharsets.US_ASCII);
		byte[] result = new byte[request.length + header.length];
		System.arraycopy(request, 0, result, 0, headEnd);
		System.arraycopy(header, 0, result, headEnd, header.length);
		System.arraycopy(request, headEnd, result, headEnd + header.length, request.length - headEnd);
		return result;
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/** A JSON POST with Content-Length. */
	public static Response postJson(String clientAddress, int port, String path, String json, String... headers)
			throws IOException {
		StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n");
		request.append("Content-Type: application/json\r\n");
		request.append("Content-Length: ").append(json.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		return send(clientAddress, port, request.append("\r\n").append(json).toString());
	}

	/** A status line, headers (names lower-cased) and a body (de-chunked). */
	public record Response(int status, Map<String, String> headers, String body) {

		static Response parse(String raw) throws IOException {
			int headEnd = raw.indexOf("\r\n\r\n");
			if (headEnd < 0) {
				throw new IOException("no complete HTTP response head in " + raw.length() + " bytes received");
			}
			String[] lines = raw.substring(0, headEnd).split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
			String body = raw.substring(headEnd + 4);
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = dechunk(body);
			}
			return new Response(status, headers, body);
		}

		/** The body of a {@code Transfer-Encoding: chunked} message, de-chunked. */
		public static String dechunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", at);
				int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
				if (size == 0) {
					return body.toString();
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
				at = lineEnd + 2 + size + 2;
			}
		}

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

}
