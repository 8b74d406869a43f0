package com.example.couponservice.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.couponservice.support.RedisClusterSupport.Connection;
import com.example.couponservice.support.RedisClusterSupport.ErrorReply;
import com.example.couponservice.support.RedisClusterSupport.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Redis Cluster harness does what the Redis-mode tests will rely on: a cluster of
 * three masters with a replica each, slot routing that agrees with Redis, and a failover
 * after a master is killed that ends with every master replicated again.
 */
class RedisClusterSupportTests {

	private final RedisClusterSupport shared = RedisClusterSupport.shared();

	@Test
	void sharedClusterHasThreeMastersEachWithOneOnlineReplica() {
		List<Node> masters = this.shared.masters();
		assertThat(masters).hasSize(3);
		List<Node> replicas = new ArrayList<>();
		for (Node master : masters) {
			assertThat(this.shared.replicasOf(master)).as("replicas of %s", master).hasSize(1);
			replicas.addAll(this.shared.replicasOf(master));
		}
		assertThat(replicas).doesNotHaveDuplicates().doesNotContainAnyElementsOf(masters);
		assertThat(this.shared.nodes().split(",")).hasSize(6)
			.doesNotHaveDuplicates()
			.allMatch((address) -> address.matches("127\\.0\\.0\\.1:\\d+"));
	}

	@Test
	void slotOfAgreesWithRedisWithAndWithoutHashTags() {
		Node node = this.shared.masters().get(0);
		for (String key : List.of("", "a", "coupon:AB2C4XYZ", "coupon:{AB2C4XYZ}", "coupon:{AB2C4XYZ}:reference",
				"{}AB2C4XYZ", "AB{}C{D}", "{{x}}", "x}y{z", "münze:€")) {
			assertThat(RedisClusterSupport.slotOf(key)).as("slot of %s", key)
				.isEqualTo(Integer.parseInt(this.shared.call(node, "CLUSTER", "KEYSLOT", key)));
		}
	}

	@Test
	void masterOfServesTheKeyAndEveryOtherMasterRedirectsToIt() {
		String key = this.shared.newKeyPrefix() + "coupon:{AB2C4XYZ}";
		Node owner = this.shared.masterOf(key);
		assertThat(this.shared.call(owner, "SET", key, "UNUSED")).isEqualTo("OK");
		for (Node other : this.shared.masters()) {
			if (!other.equals(owner)) {
				assertThatExceptionOfType(ErrorReply.class).isThrownBy(() -> this.shared.call(other, "GET", key))
					.withMessage("MOVED " + RedisClusterSupport.slotOf(key) + " " + owner.address());
			}
		}
	}

	@Test
	void killedMasterIsReplacedByItsReplicaAndRejoinsAsItsReplicaWhenRestarted() {
		try (RedisClusterSupport cluster = RedisClusterSupport.startDedicated()) {
			String key = "coupon:{AB2C4XYZ}";
			Node victim = cluster.masterOf(key);
			Node heir = cluster.replicasOf(victim).get(0);
			try (Connection connection = cluster.connect(victim)) {
				connection.call("SET", key, "before");
				assertThat(connection.call("WAIT", "1", "5000")).as("replicas that have the write").isEqualTo("1");
			}

			cluster.kill(victim);
			cluster.awaitFailoverOf(victim);

			assertThat(cluster.masterOf(key)).isEqualTo(heir);
			assertThat(cluster.masters()).hasSize(3).doesNotContain(victim);
			assertThat(cluster.call(heir, "GET", key)).isEqualTo("before");
			try (Connection connection = cluster.connect(heir)) {
				assertThat(connection.call("SET", key, "after")).isEqualTo("OK");
			}

			cluster.restart(victim);
			cluster.awaitHealthy();

			assertThat(cluster.replicasOf(heir)).containsExactly(victim);
			try (Connection connection = cluster.connect(heir)) {
				connection.call("SET", key, "again");
				assertThat(connection.call("WAIT", "1", "5000")).as("replicas that have the write").isEqualTo("1");
			}
			try (Connection replica = cluster.connect(victim)) {
				replica.call("READONLY");
				assertThat(replica.call("GET", key)).isEqualTo("again");
			}
		}
	}

	@Test
	void singleNodeServesEverySlotButRefusesCommandsAcrossSlots() {
		try (RedisClusterSupport single = RedisClusterSupport.startSingleNode()) {
			Node node = single.masters().get(0);
			assertThat(single.nodes()).isEqualTo(node.address());
			assertThat(single.call(node, "CLUSTER", "INFO")).contains("cluster_slots_assigned:16384");
			assertThat(RedisClusterSupport.slotOf("a")).isNotEqualTo(RedisClusterSupport.slotOf("b"));
			assertThat(single.call(node, "SET", "a", "1")).isEqualTo("OK");
			assertThat(single.call(node, "SET", "b", "2")).isEqualTo("OK");
			assertThatExceptionOfType(ErrorReply.class).isThrownBy(() -> single.call(node, "MSET", "a", "3", "b", "4"))
				.withMessageStartingWith("CROSSSLOT");
		}
	}

}
