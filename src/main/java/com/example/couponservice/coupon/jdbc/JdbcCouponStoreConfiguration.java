package com.example.couponservice.coupon.jdbc;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import tools.jackson.databind.json.JsonMapper;

/**
 * The PostgreSQL store replaces the in-memory one under the {@code postgres} profile. The
 * connection pool, the transaction manager (a {@code JdbcTransactionManager}, so commit
 * failures are {@code DataAccessException}s too) and the Flyway migration of the
 * {@code coupon} table all come from Boot's auto-configuration, which
 * {@code application-postgres.properties} switches back on.
 */
@Configuration(proxyBeanMethods = false)
@Profile("postgres")
class JdbcCouponStoreConfiguration {

	@Bean
	JdbcCouponStore jdbcCouponStore(JdbcClient jdbcClient, DataSourceTransactionManager transactionManager,
			JsonMapper jsonMapper) {
		return new JdbcCouponStore(jdbcClient, transactionManager, jsonMapper);
	}

}
