package com.example.couponservice.coupon.web;

import com.example.couponservice.support.RedisMode;

/**
 * The same contract as {@link LifecycleApiTests}, in the {@code redis} profile on the
 * shared Redis Cluster.
 */
@RedisMode
class RedisModeLifecycleApiTests extends LifecycleApiTests {

}
