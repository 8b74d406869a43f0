/**
 * The coupon service: a Spring Boot application that generates, redeems and reports
 * single-use coupon codes. Each subpackage is one feature; docs/design.md draws which may
 * use which, and {@code ArchitectureTests} checks it.
 */
@NullMarked
package com.example.couponservice;

import org.jspecify.annotations.NullMarked;
