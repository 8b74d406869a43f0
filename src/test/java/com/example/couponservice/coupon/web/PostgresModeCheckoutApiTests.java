package com.example.couponservice.coupon.web;

import com.example.couponservice.support.PostgresMode;

/**
 * The same checkout loop as {@link CheckoutApiTests}, in the {@code postgres} profile on
 * a real PostgreSQL.
 */
@PostgresMode
class PostgresModeCheckoutApiTests extends CheckoutApiTests {

}
