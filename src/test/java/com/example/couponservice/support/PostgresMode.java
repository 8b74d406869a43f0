package com.example.couponservice.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a Spring Boot test in the {@code postgres} profile against a fresh database of the
 * {@link EmbeddedPostgresSupport#shared() shared embedded server}, one database per
 * distinct context. Add it to a subclass of a test to run the same contract on
 * PostgreSQL.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ActiveProfiles("postgres")
@ContextConfiguration(initializers = EmbeddedPostgresSupport.FreshDatabase.class)
public @interface PostgresMode {

}
