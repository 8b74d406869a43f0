package com.example.couponservice.ratelimit;

import com.example.couponservice.support.PostgresMode;

/**
 * The same contract as {@link RateLimitTests}, in the {@code postgres} profile on a real
 * PostgreSQL.
 */
@PostgresMode
class PostgresModeRateLimitTests extends RateLimitTests {

}
