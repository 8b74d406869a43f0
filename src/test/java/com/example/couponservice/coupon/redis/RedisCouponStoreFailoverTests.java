package com.example.couponservice.coupon.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;

import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponCode;
import com.example.couponservice.coupon.CouponQuery;
import com.example.couponservice.coupon.CouponStatus;
import com.example.couponservice.support.LettuceClusterClients;
import com.example.couponservice.support.RedisClusterSupport;
import com.example.couponservice.support.RedisClusterSupport.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A bulk insert interrupted by the death of a master, on a cluster of its own: the caller
 * gets an exception, no coupon of the batch is visible, and once a replica has taken
 * over, the same batch goes in.
 */
class RedisCouponStoreFailoverTests {

	private static final Instant NOW = Instant.parse("2031-05-17T09:30:12.345Z");

	@Test
	void aBulkInsertWhoseMasterDiesBetweenItsPhasesLeavesNothingVisibleAndCanBeRetried() {
		try (RedisClusterSupport cluster = RedisClusterSupport.startDedicated()) {
			RedisClusterClient client = LettuceClusterClients.create(cluster.nodes());
			try (StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8)) {
				RedisCouponStore store = new RedisCouponStore(client, connection,
						new RedisCouponProperties(1, Duration.ofSeconds(1), "coupon:", Duration.ofMinutes(1), 2), 100);
				// Codes spread over every shard, so every master holds part of the batch.
				List<Coupon> batch = new ArrayList<>();
				for (long i = 0; i < 1500; i++) {
					batch.add(Coupon.fresh(CouponCode.unpack((i * 366_503_875L) % CouponCode.SPACE), NOW, null, "bulk",
							Map.of()));
				}
				String probe = new CouponKeys("coupon:").coupon(batch.get(0).code());
				Node victim = cluster.masterOf(probe);
				store.beforeCommit = () -> cluster.kill(victim);

				// Every coupon is pending everywhere; the commits on the two masters left
				// went through and were taken back.
				assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> store.insertAll(batch));

				cluster.awaitFailoverOf(victim);
				// Back as the replica of its successor: without a replica, every change
				// on that master would wait for one in vain (503).
				cluster.restart(victim);
				cluster.awaitHealthy();
				// What the adaptive or periodic refresh would do a little later.
				client.refreshPartitions();
				store.beforeCommit = () -> {
				};
				for (Coupon coupon : batch) {
					assertThat(store.find(coupon.code())).as(coupon.code()).isEmpty();
				}
				assertThat(store.countByStatus("bulk", NOW).values()).containsOnly(0L);
				assertThat(store.list(CouponQuery.ALL, null, 10, NOW)).isEmpty();

				assertThat(store.insertAll(batch)).isEmpty();

				for (Coupon coupon : batch) {
					assertThat(store.find(coupon.code())).as(coupon.code()).contains(coupon);
				}
				assertThat(store.countByStatus("bulk", NOW)).containsEntry(CouponStatus.UNUSED, 1500L);
			}
			finally {
				client.shutdown();
			}
		}
	}

}
