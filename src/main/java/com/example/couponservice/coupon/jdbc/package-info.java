/**
 * The PostgreSQL coupon store (profile {@code postgres}).
 */
@NullMarked
package com.example.couponservice.coupon.jdbc;

import org.jspecify.annotations.NullMarked;
