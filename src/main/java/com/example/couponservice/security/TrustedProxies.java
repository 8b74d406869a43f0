package com.example.couponservice.security;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import com.example.couponservice.web.ClientAddress;

/**
 * Turns {@code coupon.security.trusted-proxies} into Spring Boot's own forwarded-header
 * support: Tomcat's RemoteIpValve ({@code server.forward-headers-strategy=native}) with
 * exactly those addresses and networks as its internal proxies (Tomcat reads a list of
 * CIDRs), and no others. Without it the service ignores {@code X-Forwarded-For}
 * everywhere, including the cloud platforms on which Boot would otherwise switch the
 * valve on by itself, with Tomcat's default of trusting every private and loopback
 * address.
 * <p>
 * Starting with {@code server.forward-headers-strategy} set to {@code native} or
 * {@code framework} while no proxies are listed fails, unless
 * {@code server.tomcat.remoteip.internal-proxies} names them explicitly: the defaults
 * would let any host of a private network (any pod of a cluster, any client behind NAT)
 * choose its own client address, and so its own rate-limit budget.
 */
class TrustedProxies implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY = "coupon.security.trusted-proxies";

	private static final String STRATEGY = "server.forward-headers-strategy";

	private static final String INTERNAL_PROXIES = "server.tomcat.remoteip.internal-proxies";

	@Override
	public int getOrder() {
		// After application.properties and the profiles' files are loaded.
		return ConfigDataEnvironmentPostProcessor.ORDER + 10;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		List<String> proxies = Binder.get(environment)
			.bind(PROPERTY, Bindable.listOf(String.class))
			.orElse(List.of())
			.stream()
			.map(String::strip)
			.filter((entry) -> !entry.isEmpty())
			.toList();
		if (proxies.isEmpty()) {
			refuseDefaultTrust(environment);
			return;
		}
		environment.getPropertySources()
			.addFirst(new MapPropertySource("coupon.security.trusted-proxies", Map.of(STRATEGY, "native",
					INTERNAL_PROXIES, cidrs(proxies), "server.tomcat.remoteip.trusted-proxies", "")));
	}

	private static void refuseDefaultTrust(ConfigurableEnvironment environment) {
		String strategy = environment.getProperty(STRATEGY, "none").strip();
		if (!"native".equalsIgnoreCase(strategy) && !"framework".equalsIgnoreCase(strategy)) {
			return;
		}
		if ("native".equalsIgnoreCase(strategy) && environment.containsProperty(INTERNAL_PROXIES)) {
			return;
		}
		throw new InvalidConfigurationPropertyValueException(STRATEGY, strategy,
				"with it every private and loopback address may name its own client in X-Forwarded-For, and so buy "
						+ "a fresh rate-limit budget per request. List your proxies (addresses or CIDRs) in " + PROPERTY
						+ " instead, e.g. " + PROPERTY + "=10.0.4.17,10.0.5.0/28");
	}

	/**
	 * The entries as CIDRs, comma-separated, as Tomcat's RemoteIpValve reads a list of
	 * networks: a bare address becomes a /32 or /128.
	 */
	static String cidrs(List<String> entries) {
		List<String> cidrs = new ArrayList<>();
		for (String entry : entries) {
			int slash = entry.indexOf('/');
			String address = (slash >= 0) ? entry.substring(0, slash) : entry;
			InetAddress parsed = ClientAddress.parse(address);
			boolean withPort = parsed instanceof Inet4Address && address.contains(":") && !address.contains("::");
			if (parsed == null || withPort) {
				throw invalid(entries, "'" + entry + "' is not an IP address or CIDR");
			}
			int maxLength = (parsed instanceof Inet4Address) ? 32 : 128;
			int length = maxLength;
			if (slash >= 0) {
				try {
					length = Integer.parseInt(entry.substring(slash + 1));
				}
				catch (NumberFormatException ex) {
					throw invalid(entries, "'" + entry + "' has no prefix length after '/'");
				}
				if (length < 1 || length > maxLength) {
					throw invalid(entries, "'" + entry + "' needs a prefix length from 1 to " + maxLength);
				}
			}
			cidrs.add(ClientAddress.network(parsed, length));
		}
		return String.join(",", cidrs);
	}

	private static InvalidConfigurationPropertyValueException invalid(List<String> entries, String reason) {
		return new InvalidConfigurationPropertyValueException(PROPERTY, String.join(",", entries), reason);
	}

}
