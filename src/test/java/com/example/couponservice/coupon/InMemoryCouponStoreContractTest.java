package com.example.couponservice.coupon;

/** The in-memory store against the store contract. */
class InMemoryCouponStoreContractTest extends CouponStoreContractTest {

	@Override
	protected CouponStore createStore() {
		return new InMemoryCouponStore(1_000_000);
	}

}
