/**
 * What operators use besides the API: health indicators and the OpenAPI description.
 */
@NullMarked
package com.example.couponservice.ops;

import org.jspecify.annotations.NullMarked;
