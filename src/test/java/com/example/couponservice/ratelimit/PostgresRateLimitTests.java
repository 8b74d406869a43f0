package com.example.couponservice.ratelimit;

import org.springframework.context.ConfigurableApplicationContext;

import com.example.couponservice.support.EmbeddedPostgresSupport;

/**
 * The two-instance contract on one PostgreSQL database.
 */
class PostgresRateLimitTests extends TwoInstanceRateLimitContractTests {

	private final EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.shared();

	private final String database = this.postgres.createDatabase();

	@Override
	ConfigurableApplicationContext startInstance() {
		return this.postgres.startService(this.database, "--spring.datasource.hikari.maximum-pool-size=20",
				"--coupon.rate-limit.redeem.network-capacity=0");
	}

}
