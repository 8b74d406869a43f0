/**
 * Generic HTTP plumbing of no one feature: problem documents and their types, the
 * request-body limit, the error controller and valve, strict JSON, the client address and
 * the order of the servlet filters.
 */
@NullMarked
package com.example.couponservice.web;

import org.jspecify.annotations.NullMarked;
