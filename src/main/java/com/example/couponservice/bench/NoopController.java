package com.example.couponservice.bench;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark baseline: {@code GET /noop} goes through the same connector, filters,
 * dispatcher and metrics as a coupon request but does no coupon work, so the HTTP
 * benchmark can report each endpoint relative to what the stack alone costs. Exists only
 * in the {@code bench} profile.
 */
@RestController
@Profile("bench")
class NoopController {

	static final String BODY = "ok";

	@GetMapping(path = "/noop", produces = MediaType.TEXT_PLAIN_VALUE)
	String noop() {
		return BODY;
	}

}
