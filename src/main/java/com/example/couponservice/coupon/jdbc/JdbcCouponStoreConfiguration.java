package com.example.couponservice.coupon.jdbc;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

import com.example.couponservice.coupon.CouponProperties;

import tools.jackson.databind.json.JsonMapper;

/**
 * The PostgreSQL store replaces the in-memory one under the {@code postgres} profile. The
 * connection pool, the transaction manager (a {@code JdbcTransactionManager}, so commit
 * failures are {@code DataAccessException}s too) and the Flyway migration of the tables
 * all come from Boot's auto-configuration, which {@code application-postgres.properties}
 * switches back on. Old events are deleted every {@code coupon.events.cleanup-interval}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("postgres")
@EnableScheduling
class JdbcCouponStoreConfiguration {

	@Bean
	JdbcCouponStore jdbcCouponStore(JdbcClient jdbcClient, DataSourceTransactionManager transactionManager,
			JsonMapper jsonMapper, CouponProperties properties) {
		return new JdbcCouponStore(jdbcClient, transactionManager, jsonMapper, properties.events().maxPerCoupon());
	}

	@Bean
	EventRetention eventRetention(JdbcClient jdbcClient, CouponProperties properties, Clock clock,
			MeterRegistry registry) {
		return new EventRetention(jdbcClient, properties.events().retention(), clock, registry);
	}

	@Bean
	SchedulingConfigurer eventRetentionSchedule(EventRetention retention, CouponProperties properties) {
		Duration interval = properties.events().cleanupInterval();
		return (registrar) -> registrar.addFixedDelayTask(new FixedDelayTask(retention::removeOld, interval, interval));
	}

}
