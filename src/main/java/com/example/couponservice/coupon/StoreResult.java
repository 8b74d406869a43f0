package com.example.couponservice.coupon;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one atomic step of a store, and the coupon as that step left it.
 *
 * @param outcome what happened
 * @param coupon the coupon after the step; {@code null} exactly when no coupon has the
 * code
 * @param <O> the kind of outcome
 */
public record StoreResult<O extends Enum<O>>(O outcome, @Nullable Coupon coupon) {

}
