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
 * A minimal HTTP/1.1 client over a plain socket, for what {@code java.net.http} cannot
 * do on Java 17: bind the client to a chosen loopback address (every 127.x.y.z is this
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
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(clientAddress), 0));
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
			socket.setSoTimeout(10_000);
			int headEnd = request.indexOf("\r\n\r\n");
			String withClose = request.substring(0, headEnd) + "\r\nConnection: close" + request.substring(headEnd);
			OutputStream out = socket.getOutputStream();
			out.write(withClose.getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			return Response.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
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

		static Response parse(String raw) {
			int headEnd = raw.indexOf("\r\n\r\n");
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

		private static String dechunk(String chunked) {
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
