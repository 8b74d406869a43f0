/**
 * The Redis Cluster store (profile {@code redis}): coupons, their history and their
 * indexes in Redis, every change one Lua script on one hash slot.
 */
@NullMarked
package com.example.couponservice.coupon.redis;

import org.jspecify.annotations.NullMarked;
