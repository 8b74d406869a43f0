package com.example.couponservice.coupon.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Body of {@code POST /redeem-coupon}. */
record RedeemRequest(
		@Schema(description = "the code; case, spaces and '-' are ignored", example = "AB2C4XYZ",
				requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String code,
		@Schema(description = "the caller's order id, 1 to 64 printable characters; a repeat with the same "
				+ "reference is a retry", example = "order-10045") @Nullable String reference,
		@Schema(description = "the customer redeeming: required for a coupon bound to one, recorded otherwise",
				example = "customer-4711") @Nullable String customerId) {
}
