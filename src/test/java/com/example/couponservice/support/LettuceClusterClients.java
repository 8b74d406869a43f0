package com.example.couponservice.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;

/**
 * Lettuce cluster clients for tests that use a store without the application: set up as
 * application-redis.properties sets up Boot's (command timeout, adaptive and periodic
 * topology refresh, commands rejected while a node is unreachable).
 */
public final class LettuceClusterClients {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private LettuceClusterClients() {
	}

	/** A client of the cluster whose seeds are {@code nodes} ({@code host:port,...}). */
	public static RedisClusterClient create(String nodes) {
		List<RedisURI> seeds = Arrays.stream(nodes.split(","))
			.map((node) -> RedisURI.builder()
				.withHost(node.substring(0, node.lastIndexOf(':')))
				.withPort(Integer.parseInt(node.substring(node.lastIndexOf(':') + 1)))
				.withTimeout(TIMEOUT)
				.build())
			.toList();
		RedisClusterClient client = RedisClusterClient.create(seeds);
		client.setOptions(ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enableAllAdaptiveRefreshTriggers()
				.enablePeriodicRefresh(Duration.ofSeconds(10))
				.build())
			.timeoutOptions(TimeoutOptions.enabled())
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
		return client;
	}

}
