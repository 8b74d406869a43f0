/**
 * Code that exists only for the benchmarks (the {@code bench} profile): never part of a
 * production deployment.
 */
@NullMarked
package com.example.couponservice.bench;

import org.jspecify.annotations.NullMarked;
