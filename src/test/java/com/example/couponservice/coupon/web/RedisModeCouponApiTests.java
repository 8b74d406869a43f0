package com.example.couponservice.coupon.web;

import com.example.couponservice.support.RedisMode;

/**
 * The same contract as {@link CouponApiTests}, in the {@code redis} profile on the shared
 * Redis Cluster.
 */
@RedisMode
class RedisModeCouponApiTests extends CouponApiTests {

}
