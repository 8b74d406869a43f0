package com.example.couponservice.ops;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import com.example.couponservice.coupon.CodePool;

/**
 * The code pool's health: how many codes wait, and DOWN while the background refill is
 * failing (generation still works on demand, but slower, and the random source is
 * suspect).
 */
@Component
class CodePoolHealthIndicator implements HealthIndicator {

	private final CodePool pool;

	CodePoolHealthIndicator(CodePool pool) {
		this.pool = pool;
	}

	@Override
	public Health health() {
		Health.Builder health = this.pool.isRefillFailing() ? Health.down() : Health.up();
		health.withDetail("available", this.pool.available()).withDetail("capacity", this.pool.capacity());
		if (this.pool.getLastRefillFailure() != null) {
			health.withDetail("lastRefillFailure", this.pool.getLastRefillFailure().toString());
		}
		return health.build();
	}

}
