package com.example.couponservice.coupon.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.example.couponservice.coupon.CouponCode;
import com.example.couponservice.coupon.CouponQuery;
import com.example.couponservice.coupon.CouponStatus;
import com.example.couponservice.support.RedisClusterSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key layout: shards are ranges of the code order (so a listing walks them in turn),
 * and every key a script of one coupon touches is in the slot of its shard.
 */
class RedisCouponKeysTests {

	private final CouponKeys keys = new CouponKeys("t:coupon:");

	@Test
	void shardsFollowTheCodeOrderAndCoverAllOfIt() {
		List<String> codes = new ArrayList<>();
		for (long i = 0; i < 20_000; i++) {
			codes.add(CouponCode.unpack((i * 54_975_581L) % CouponCode.SPACE));
		}
		codes.addAll(List.of("22222222", "ZZZZZZZZ", "OLD23456", "VOID2345", "a2345678", "Z1", "0ABCDEFG"));
		codes.sort(null);
		Set<Integer> shards = new HashSet<>();
		int previous = 0;
		for (String code : codes) {
			int shard = CouponKeys.shard(code);
			assertThat(shard).as(code).isBetween(previous, CouponKeys.SHARDS - 1);
			previous = shard;
			shards.add(shard);
		}
		assertThat(CouponKeys.shard("22222222")).isZero();
		assertThat(CouponKeys.shard("ZZZZZZZZ")).isEqualTo(CouponKeys.SHARDS - 1);
		assertThat(shards).hasSize(CouponKeys.SHARDS);
	}

	@Test
	void everyKeyOfACouponIsInTheSlotOfItsShard() {
		for (String code : List.of("AB2C4XYZ", "22222222", "ZZZZZZZZ", "OLD23456")) {
			int shard = CouponKeys.shard(code);
			int slot = RedisClusterSupport.slotOf(this.keys.coupon(code));
			assertThat(this.keys.base(code)).endsWith("}:").doesNotContain("{t");
			List<String> all = List.of(this.keys.events(code), this.keys.all(shard),
					this.keys.index(shard, new CouponQuery("summer", null, null)),
					this.keys.index(shard, new CouponQuery(null, CouponStatus.EXPIRED, null)),
					this.keys.index(shard, new CouponQuery(null, null, "customer-{7}")),
					this.keys.base(code) + "nc:summer", this.keys.base(code) + "xp");
			for (String key : all) {
				assertThat(RedisClusterSupport.slotOf(key)).as(key).isEqualTo(slot);
			}
		}
	}

	@Test
	void theShardsSpreadOverTheSlotsOfThreeMasters() {
		int[] perMaster = new int[3];
		for (int shard = 0; shard < CouponKeys.SHARDS; shard++) {
			perMaster[RedisClusterSupport.slotOf(this.keys.all(shard)) * 3 / RedisClusterSupport.SLOTS]++;
		}
		for (int count : perMaster) {
			assertThat(count).isBetween(300, 384);
		}
	}

}
