package com.example.couponservice.web;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.couponservice.support.EmbeddedPostgresSupport;

/**
 * The same contract as {@link LifecycleApiTest}, in the {@code postgres} profile on a
 * real PostgreSQL.
 */
@ActiveProfiles("postgres")
class PostgresModeLifecycleApiTests extends LifecycleApiTest {

	private static final EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.shared();

	private static final String DATABASE = postgres.createDatabase();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		postgres.registerDataSource(registry, DATABASE);
	}

}
