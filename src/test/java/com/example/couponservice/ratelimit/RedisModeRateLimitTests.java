package com.example.couponservice.ratelimit;

import com.example.couponservice.support.RedisMode;

/**
 * The same contract as {@link RateLimitTests}, in the {@code redis} profile on the shared
 * Redis Cluster: the buckets live there.
 */
@RedisMode
class RedisModeRateLimitTests extends RateLimitTests {

}
