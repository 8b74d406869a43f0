package com.example.couponservice.coupon.web;

import com.example.couponservice.support.PostgresMode;

/**
 * The same contract as {@link CouponApiTests}, in the {@code postgres} profile on a real
 * PostgreSQL.
 */
@PostgresMode
class PostgresModeCouponApiTests extends CouponApiTests {

}
