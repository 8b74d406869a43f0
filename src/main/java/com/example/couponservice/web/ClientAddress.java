package com.example.couponservice.web;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The caller's address as this service uses it: in log lines (MDC key {@value #MDC_KEY}),
 * as the key of its rate-limit budgets, and in a coupon's history. It is
 * {@code getRemoteAddr()}, which Tomcat's RemoteIpValve rewrites from
 * {@code X-Forwarded-For} for trusted proxies only, in a canonical form: a port a proxy
 * appended is dropped ({@code 203.0.113.7:51234}, {@code [2001:db8::7]:443}), an
 * IPv4-mapped IPv6 address is its IPv4 address, and IPv6 is written as RFC 5952 says
 * (lower case, the longest run of zeros as {@code ::}). Anything that is not an address
 * is {@value #UNPARSEABLE}, one key shared by every such request, so a garbage header can
 * never buy a fresh budget. Parsing never asks DNS.
 */
public final class ClientAddress {

	/** The MDC key of the caller's address while a request is served. */
	public static final String MDC_KEY = "client.ip";

	/** The address of a caller whose address cannot be parsed. */
	public static final String UNPARSEABLE = "unparseable";

	private static final String ATTRIBUTE = ClientAddress.class.getName();

	private ClientAddress() {
	}

	/** The canonical address of {@code request}'s client, computed once per request. */
	public static String of(HttpServletRequest request) {
		if (request.getAttribute(ATTRIBUTE) instanceof String address) {
			return address;
		}
		String address = canonical(request.getRemoteAddr());
		request.setAttribute(ATTRIBUTE, address);
		return address;
	}

	/**
	 * The canonical form of an address as a proxy may write it, or {@value #UNPARSEABLE}.
	 */
	public static String canonical(@Nullable String raw) {
		InetAddress address = parse(raw);
		if (address == null) {
			return UNPARSEABLE;
		}
		return (address instanceof Inet6Address) ? rfc5952(address.getAddress()) : address.getHostAddress();
	}

	/**
	 * The address {@code raw} names, with any port and IPv6 zone dropped, or {@code null}
	 * when it is not an IP literal.
	 */
	public static @Nullable InetAddress parse(@Nullable String raw) {
		if (raw == null) {
			return null;
		}
		String text = raw.strip();
		if (text.startsWith("[")) {
			int close = text.indexOf(']');
			if (close < 0 || !isPortSuffix(text.substring(close + 1))) {
				return null;
			}
			return ipv6(text.substring(1, close));
		}
		int colon = text.indexOf(':');
		if (colon < 0) {
			return ipv4(text);
		}
		if (colon == text.lastIndexOf(':') && text.indexOf('.') >= 0) {
			// "a.b.c.d:port": IPv6 has at least two colons.
			return isPortSuffix(text.substring(colon)) ? ipv4(text.substring(0, colon)) : null;
		}
		return ipv6(text);
	}

	/** Empty, or {@code :} and a port number. */
	private static boolean isPortSuffix(String suffix) {
		if (suffix.isEmpty()) {
			return true;
		}
		if (suffix.length() < 2 || suffix.length() > 6 || suffix.charAt(0) != ':') {
			return false;
		}
		for (int i = 1; i < suffix.length(); i++) {
			if (!isDigit(suffix.charAt(i))) {
				return false;
			}
		}
		return Integer.parseInt(suffix.substring(1)) <= 65_535;
	}

	/** Four decimal octets, no leading zeros (which some parsers read as octal). */
	private static @Nullable InetAddress ipv4(String text) {
		byte[] bytes = new byte[4];
		int part = 0;
		int start = 0;
		for (int i = 0; i <= text.length(); i++) {
			if (i == text.length() || text.charAt(i) == '.') {
				int length = i - start;
				if (part == 4 || length == 0 || length > 3 || (length > 1 && text.charAt(start) == '0')) {
					return null;
				}
				int value = 0;
				for (int j = start; j < i; j++) {
					if (!isDigit(text.charAt(j))) {
						return null;
					}
					value = value * 10 + (text.charAt(j) - '0');
				}
				if (value > 255) {
					return null;
				}
				bytes[part++] = (byte) value;
				start = i + 1;
			}
		}
		return (part == 4) ? byAddress(bytes) : null;
	}

	private static @Nullable InetAddress ipv6(String text) {
		int zone = text.indexOf('%');
		String literal = (zone >= 0) ? text.substring(0, zone) : text;
		if (literal.length() < 2 || literal.length() > 45) {
			return null;
		}
		for (int i = 0; i < literal.length(); i++) {
			char c = literal.charAt(i);
			if (!isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':' && c != '.') {
				return null;
			}
		}
		try {
			// A bracketed literal is parsed as an IPv6 address, never looked up; an
			// IPv4-mapped one comes back as the Inet4Address it maps.
			InetAddress address = InetAddress.getByName("[" + literal + "]");
			return (address instanceof Inet6Address || address instanceof Inet4Address) ? address : null;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static InetAddress byAddress(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("4 and 16 bytes are always an address", ex);
		}
	}

	/** The 16 bytes of an IPv6 address as RFC 5952 writes them. */
	static String rfc5952(byte[] bytes) {
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8;) {
			if (groups[i] != 0) {
				i++;
				continue;
			}
			int end = i;
			while (end < 8 && groups[end] == 0) {
				end++;
			}
			if (end - i > bestLength) {
				bestStart = i;
				bestLength = end - i;
			}
			i = end;
		}
		StringBuilder text = new StringBuilder(39);
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

	/** The network {@code address} is in, as {@code address/prefixLength}. */
	public static String network(InetAddress address, int prefixLength) {
		byte[] bytes = address.getAddress();
		for (int i = 0; i < bytes.length; i++) {
			int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
			bytes[i] &= (byte) (0xFF << (8 - keep));
		}
		String prefix = (bytes.length == 16) ? rfc5952(bytes) : byAddress(bytes).getHostAddress();
		return prefix + "/" + prefixLength;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
