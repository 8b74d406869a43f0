package com.example.couponservice.coupon.web;

import com.example.couponservice.support.RedisMode;

/**
 * The same checkout loop as {@link CheckoutApiTests}, in the {@code redis} profile on the
 * shared Redis Cluster.
 */
@RedisMode
class RedisModeCheckoutApiTests extends CheckoutApiTests {

}
