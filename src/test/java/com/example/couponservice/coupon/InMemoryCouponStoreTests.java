package com.example.couponservice.coupon;

/** The in-memory store against the store contract. */
class InMemoryCouponStoreTests extends CouponStoreContractTests {

	@Override
	protected CouponStore createStore() {
		return new InMemoryCouponStore(100L << 20, 100);
	}

}
