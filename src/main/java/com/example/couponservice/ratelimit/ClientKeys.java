package com.example.couponservice.ratelimit;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;

/**
 * Turns a client address into its rate-limit key. IPv4 addresses are their own key; IPv6
 * addresses are cut to their network prefix (a /64 by default), since anyone holding a
 * /64 can rotate through 2^64 addresses for free.
 */
class ClientKeys {

	private final int ipv6PrefixLength;

	ClientKeys(int ipv6PrefixLength) {
		this.ipv6PrefixLength = ipv6PrefixLength;
	}

	/**
	 * @param remoteAddress {@code HttpServletRequest.getRemoteAddr()}: an IP literal, as
	 * Tomcat gives it (rewritten by its RemoteIpValve when forwarded headers are trusted)
	 */
	String keyOf(String remoteAddress) {
		if (remoteAddress.indexOf(':') < 0) {
			return remoteAddress;
		}
		InetAddress address = parseLiteral(remoteAddress);
		if (!(address instanceof Inet6Address)) {
			// An IPv4-mapped IPv6 address is the IPv4 client it maps.
			return (address != null) ? address.getHostAddress() : remoteAddress;
		}
		byte[] bytes = address.getAddress();
		int bits = this.ipv6PrefixLength;
		for (int i = 0; i < bytes.length; i++) {
			int keep = Math.max(0, Math.min(8, bits - i * 8));
			bytes[i] &= (byte) (0xFF << (8 - keep));
		}
		InetAddress prefix = parseBytes(bytes);
		return prefix.getHostAddress() + "/" + bits;
	}

	@Nullable private static InetAddress parseLiteral(String literal) {
		String withoutZone = (literal.indexOf('%') >= 0) ? literal.substring(0, literal.indexOf('%')) : literal;
		try {
			// A literal IP address is parsed, never looked up in DNS.
			return InetAddress.getByName(withoutZone.startsWith("[") ? withoutZone : "[" + withoutZone + "]");
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static InetAddress parseBytes(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("16 bytes are always an IPv6 address", ex);
		}
	}

}
