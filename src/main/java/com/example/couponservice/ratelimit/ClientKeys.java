package com.example.couponservice.ratelimit;

import java.net.Inet6Address;
import java.net.InetAddress;

import com.example.couponservice.web.ClientAddress;

/**
 * Turns a client's canonical address into its rate-limit keys, one per {@link Scope}. The
 * address key is an IPv4 address itself, or an IPv6 address cut to its prefix (a /64 by
 * default: anyone holding a /64 can rotate through 2^64 addresses for free). The network
 * key is the /24 or /48 around it. An unparseable address has one shared key in each
 * scope.
 */
record ClientKeys(int ipv6PrefixLength, int ipv4NetworkPrefixLength, int ipv6NetworkPrefixLength) {

	ClientKeys(RateLimitProperties properties) {
		this(properties.ipv6PrefixLength(), properties.ipv4NetworkPrefixLength(), properties.ipv6NetworkPrefixLength());
	}

	/** The keys of the client at {@code canonicalAddress} ({@link ClientAddress#of}). */
	Keys of(String canonicalAddress) {
		InetAddress address = ClientAddress.parse(canonicalAddress);
		if (address == null) {
			return new Keys(ClientAddress.UNPARSEABLE, ClientAddress.UNPARSEABLE);
		}
		if (address instanceof Inet6Address) {
			return new Keys(ClientAddress.network(address, this.ipv6PrefixLength),
					ClientAddress.network(address, this.ipv6NetworkPrefixLength));
		}
		return new Keys(canonicalAddress, ClientAddress.network(address, this.ipv4NetworkPrefixLength));
	}

	/** The key of each scope. */
	record Keys(String address, String network) {

		String of(Scope scope) {
			return (scope == Scope.ADDRESS) ? this.address : this.network;
		}

	}

}
