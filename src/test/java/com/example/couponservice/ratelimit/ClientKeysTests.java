package com.example.couponservice.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientKeysTests {

	private final ClientKeys keys = new ClientKeys(64);

	@Test
	void ipv4AddressesAreTheirOwnKey() {
		assertThat(this.keys.keyOf("203.0.113.7")).isEqualTo("203.0.113.7");
		assertThat(this.keys.keyOf("203.0.113.8")).isNotEqualTo(this.keys.keyOf("203.0.113.7"));
	}

	@Test
	void ipv6AddressesShareTheirSlash64() {
		String key = this.keys.keyOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
		assertThat(key).isEqualTo("2001:db8:1:2:0:0:0:0/64");
		assertThat(this.keys.keyOf("2001:db8:1:2::1")).isEqualTo(key);
		assertThat(this.keys.keyOf("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).isEqualTo(key);
		assertThat(this.keys.keyOf("2001:db8:1:3::1")).isNotEqualTo(key);
		assertThat(this.keys.keyOf("fe80::1%eth0")).isEqualTo("fe80:0:0:0:0:0:0:0/64");
		assertThat(this.keys.keyOf("[2001:db8:1:2::9]")).isEqualTo(key);
	}

	@Test
	void thePrefixLengthIsConfigurable() {
		ClientKeys slash48 = new ClientKeys(48);
		assertThat(slash48.keyOf("2001:db8:1:2::1")).isEqualTo(slash48.keyOf("2001:db8:1:ffff::1"))
			.isEqualTo("2001:db8:1:0:0:0:0:0/48");
		ClientKeys slash128 = new ClientKeys(128);
		assertThat(slash128.keyOf("2001:db8::1")).isNotEqualTo(slash128.keyOf("2001:db8::2"));
		assertThat(new ClientKeys(60).keyOf("2001:db8:1:2f::1")).isEqualTo("2001:db8:1:20:0:0:0:0/60");
	}

	@Test
	void ipv4MappedIpv6AddressesAreTheIpv4Client() {
		assertThat(this.keys.keyOf("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
	}

}
