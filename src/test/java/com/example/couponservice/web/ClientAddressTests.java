package com.example.couponservice.web;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a trusted proxy may write into {@code X-Forwarded-For}, as the rate limiter and
 * the logs see it: one canonical address per client, whatever port or spelling, and one
 * shared answer for anything that is not an address.
 */
class ClientAddressTests {

	@Test
	void aPortAfterAnIpv4AddressIsDropped() {
		assertThat(ClientAddress.canonical("203.0.113.7:51234")).isEqualTo("203.0.113.7");
		assertThat(ClientAddress.canonical("203.0.113.7:1")).isEqualTo(ClientAddress.canonical("203.0.113.7:2"))
			.isEqualTo("203.0.113.7");
	}

	@Test
	void aBracketedIpv6AddressWithOrWithoutAPortIsTheAddress() {
		assertThat(ClientAddress.canonical("[2001:db8::7]:443")).isEqualTo("2001:db8::7");
		assertThat(ClientAddress.canonical("[2001:db8::7]")).isEqualTo("2001:db8::7");
	}

	@Test
	void ipv6IsWrittenAsRfc5952Says() {
		assertThat(ClientAddress.canonical("2001:0DB8:0000:0000:0000:0000:0000:0007")).isEqualTo("2001:db8::7");
		assertThat(ClientAddress.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
		assertThat(ClientAddress.canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
		assertThat(ClientAddress.canonical("::1")).isEqualTo("::1");
		assertThat(ClientAddress.canonical("::")).isEqualTo("::");
		assertThat(ClientAddress.canonical("fe80::1%eth0")).isEqualTo("fe80::1");
	}

	@Test
	void anIpv4MappedIpv6AddressIsTheIpv4Address() {
		assertThat(ClientAddress.canonical("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
		assertThat(ClientAddress.canonical("[::ffff:203.0.113.7]:8080")).isEqualTo("203.0.113.7");
	}

	@Test
	void anythingThatIsNotAnAddressIsUnparseableAndNeverLookedUp() {
		for (String garbage : new String[] { "", "unknown", "localhost", "example.com", "203.0.113", "203.0.113.256",
				"203.0.113.07", "1.2.3.4.5", "203.0.113.7:99999", "203.0.113.7:", "[2001:db8::7", "2001:db8::7]:1",
				"::ffff:zz", "1:2:3:4:5:6:7:8:9", "_gateway", "203.0.113.7, 198.51.100.1", "\u0661.2.3.4" }) {
			assertThat(ClientAddress.canonical(garbage)).as(garbage).isEqualTo(ClientAddress.UNPARSEABLE);
		}
		assertThat(ClientAddress.canonical(null)).isEqualTo(ClientAddress.UNPARSEABLE);
	}

	@Test
	void theNetworkOfAnAddressIsItsPrefix() {
		assertThat(ClientAddress.network(ClientAddress.parse("203.0.113.77"), 24)).isEqualTo("203.0.113.0/24");
		assertThat(ClientAddress.network(ClientAddress.parse("2001:db8:1:2::9"), 48)).isEqualTo("2001:db8:1::/48");
	}

	@Test
	void aRequestsAddressIsComputedOnceFromItsRemoteAddress() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr("[2001:DB8::0:7]:1234");
		assertThat(ClientAddress.of(request)).isEqualTo("2001:db8::7");
		request.setRemoteAddr("198.51.100.1");
		assertThat(ClientAddress.of(request)).as("kept for the request").isEqualTo("2001:db8::7");
	}

}
