/**
 * Per-client request budgets: the Bucket4j servlet filter, client keys, and where buckets
 * live (in process, or shared through the database).
 */
@NullMarked
package com.example.couponservice.ratelimit;

import org.jspecify.annotations.NullMarked;
