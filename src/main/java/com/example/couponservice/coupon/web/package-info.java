/**
 * The coupon API over HTTP: the controller, its request and response records, the table
 * of endpoints ({@link com.example.couponservice.coupon.web.CouponEndpoint}) and the
 * mapping of coupon exceptions to problem documents.
 */
@NullMarked
package com.example.couponservice.coupon.web;

import org.jspecify.annotations.NullMarked;
