package com.example.couponservice.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A JDBC slice on a fresh database of the {@link EmbeddedPostgresSupport#shared() shared
 * embedded PostgreSQL}: the {@code postgres} profile's DataSource, transaction manager
 * and Flyway migration, nothing of the web layer. Every class with this annotation shares
 * one cached context (and so one database). Tests are not wrapped in a transaction: the
 * stores under test commit, and concurrency tests use many connections.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@JdbcTest
@AutoConfigureTestDatabase(replace = Replace.NONE)
@ActiveProfiles("postgres")
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@ContextConfiguration(initializers = EmbeddedPostgresSupport.FreshDatabase.class)
public @interface EmbeddedPostgresJdbcTest {

}
