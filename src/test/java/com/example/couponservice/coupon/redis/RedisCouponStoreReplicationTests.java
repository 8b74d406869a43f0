package com.example.couponservice.coupon.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;

import com.example.couponservice.coupon.Attempt;
import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponStatus;
import com.example.couponservice.coupon.RedeemOutcome;
import com.example.couponservice.support.LettuceClusterClients;
import com.example.couponservice.support.RedisClusterSupport;
import com.example.couponservice.support.RedisClusterSupport.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the store does on the shared cluster beyond the contract: a change its replicas do
 * not confirm in time is an error the web layer answers with 503, and scripts a node has
 * forgotten are loaded again.
 */
class RedisCouponStoreReplicationTests {

	private static final Instant NOW = Instant.parse("2031-05-17T09:30:12.345Z");

	private static final RedisClusterSupport cluster = RedisClusterSupport.shared();

	private static RedisClusterClient client;

	private static StatefulRedisClusterConnection<String, String> connection;

	@BeforeAll
	static void connect() {
		client = LettuceClusterClients.create(cluster.nodes());
		connection = client.connect(StringCodec.UTF8);
	}

	@AfterAll
	static void disconnect() {
		connection.close();
		client.shutdown();
	}

	@Test
	void aChangeFewerReplicasConfirmThanRequiredIsATimeoutButStaysOnTheMaster() {
		String prefix = cluster.newKeyPrefix() + "coupon:";
		// Two replicas asked for, one there: WAIT answers 1 after its timeout.
		RedisCouponStore store = new RedisCouponStore(client, connection,
				new RedisCouponProperties(2, Duration.ofMillis(50), prefix, Duration.ofMinutes(1), 2), 100);
		Coupon coupon = Coupon.fresh("WAIT2345", NOW, null, null, Map.of());

		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> store.insert(coupon))
			.withMessageContaining("only 1 of 2 replicas");
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> store.redeem("WAIT2345", new Attempt(NOW, "order-1", null, null)));

		assertThat(store.find("WAIT2345")).map(Coupon::status).contains(CouponStatus.USED);
	}

	/**
	 * Redis holds back every later command of a connection while a {@code WAIT} on it is
	 * pending: here two replicas are asked for and one exists, so each change waits out
	 * its timeout. Reads, and changes of other codes on the same master, still go on.
	 */
	@Test
	void aChangeWaitingForReplicasHoldsUpNeitherReadsNorOtherChangesOnItsMaster() throws Exception {
		String prefix = cluster.newKeyPrefix() + "coupon:";
		CouponKeys keys = new CouponKeys(prefix);
		RedisCouponStore quick = new RedisCouponStore(client, connection,
				new RedisCouponProperties(0, Duration.ofMillis(50), prefix, Duration.ofMinutes(1), 1), 100);
		RedisCouponStore waiting = new RedisCouponStore(client, connection,
				new RedisCouponProperties(2, Duration.ofSeconds(10), prefix, Duration.ofMinutes(1), 2), 100);
		List<String> codes = List.of("HLD23456", "HLD23457", "HLD23458");
		codes.forEach((code) -> quick.insert(Coupon.fresh(code, NOW, null, null, Map.of())));
		Node master = cluster.masterOf(keys.coupon(codes.get(0)));
		assertThat(codes).allSatisfy((code) -> assertThat(cluster.masterOf(keys.coupon(code))).isEqualTo(master));

		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Future<?> first = pool.submit(() -> waiting.redeem(codes.get(0), new Attempt(NOW, "order-1", null, null)));
			Future<?> second = pool.submit(() -> waiting.redeem(codes.get(1), new Attempt(NOW, "order-2", null, null)));
			// Both changes ran and both WAITs are pending on the master at once: they
			// went over two connections, not one behind the other.
			awaitBlockedWaits(master, 2);

			assertThat(quick.find(codes.get(2))).map(Coupon::status).contains(CouponStatus.UNUSED);
			assertThat(quick.find(codes.get(0))).map(Coupon::status).contains(CouponStatus.USED);
			assertThat(first).isNotDone();
			assertThat(second).isNotDone();
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void awaitBlockedWaits(Node master, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (blockedWaits(master) < count) {
			assertThat(System.nanoTime()).as("%d WAITs pending on %s", count, master).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private static long blockedWaits(Node master) {
		String clients = cluster.call(master, "CLIENT", "LIST");
		return (clients != null) ? clients.lines().filter((line) -> line.contains("cmd=wait")).count() : 0;
	}

	@Test
	void scriptsANodeForgotAreLoadedAgain() {
		RedisCouponStore store = new RedisCouponStore(client, connection,
				RedisCouponStoreTests.properties(cluster.newKeyPrefix() + "coupon:"), 100);
		store.insert(Coupon.fresh("FLUSH234", NOW, null, "flushed", Map.of()));
		for (Node node : cluster.allNodes()) {
			cluster.call(node, "SCRIPT", "FLUSH");
		}

		assertThat(store.redeem("FLUSH234", new Attempt(NOW, null, null, null)).outcome())
			.isEqualTo(RedeemOutcome.REDEEMED);
		assertThat(store.insertAll(List.of(Coupon.fresh("FLUSH235", NOW, null, "flushed", Map.of())))).isEmpty();
		assertThat(store.countByStatus("flushed", NOW)).containsEntry(CouponStatus.USED, 1L)
			.containsEntry(CouponStatus.UNUSED, 1L);
		assertThat(store.events("FLUSH234")).hasValueSatisfying((events) -> assertThat(events).hasSize(2));
	}

}
