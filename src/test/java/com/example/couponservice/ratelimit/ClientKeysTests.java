package com.example.couponservice.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientKeysTests {

	private final ClientKeys keys = new ClientKeys(64, 24, 48);

	@Test
	void anIpv4ClientIsItsOwnAddressKeyInsideItsSlash24() {
		ClientKeys.Keys keys = this.keys.of("203.0.113.7");
		assertThat(keys.address()).isEqualTo("203.0.113.7");
		assertThat(keys.network()).isEqualTo("203.0.113.0/24");
		assertThat(this.keys.of("203.0.113.200").network()).isEqualTo(keys.network());
		assertThat(this.keys.of("203.0.114.7").network()).isNotEqualTo(keys.network());
	}

	@Test
	void anIpv6ClientIsItsSlash64InsideItsSlash48() {
		ClientKeys.Keys keys = this.keys.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
		assertThat(keys.address()).isEqualTo("2001:db8:1:2::/64");
		assertThat(keys.network()).isEqualTo("2001:db8:1::/48");
		assertThat(this.keys.of("2001:db8:1:2::1").address()).isEqualTo(keys.address());
		assertThat(this.keys.of("2001:db8:1:3::1").address()).isNotEqualTo(keys.address());
		assertThat(this.keys.of("2001:db8:1:ffff::1").network()).isEqualTo(keys.network());
		assertThat(this.keys.of("2001:db8:2::1").network()).isNotEqualTo(keys.network());
	}

	@Test
	void thePrefixLengthsAreConfigurable() {
		ClientKeys keys = new ClientKeys(60, 16, 32);
		assertThat(keys.of("2001:db8:1:2f::1").address()).isEqualTo("2001:db8:1:20::/60");
		assertThat(keys.of("2001:db8:1:2f::1").network()).isEqualTo("2001:db8::/32");
		assertThat(keys.of("203.0.113.7").network()).isEqualTo("203.0.0.0/16");
	}

	@Test
	void unparseableClientsShareOneKeyInEachScope() {
		ClientKeys.Keys keys = this.keys.of("unparseable");
		assertThat(keys.address()).isEqualTo("unparseable");
		assertThat(keys.network()).isEqualTo("unparseable");
	}

}
