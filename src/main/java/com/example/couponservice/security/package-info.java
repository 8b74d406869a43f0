/**
 * The admin-token filter that guards the operator endpoints.
 */
@NullMarked
package com.example.couponservice.security;

import org.jspecify.annotations.NullMarked;
