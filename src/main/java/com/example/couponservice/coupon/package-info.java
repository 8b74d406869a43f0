/**
 * The coupon domain: codes, the pool of fresh codes, the rules of generation, redemption
 * and void ({@link com.example.couponservice.coupon.CouponService}), the store contract
 * and its in-memory implementation, and the domain's metrics. Knows nothing of HTTP.
 */
@NullMarked
package com.example.couponservice.coupon;

import org.jspecify.annotations.NullMarked;
