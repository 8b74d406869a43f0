package com.example.couponservice.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.couponservice.web.ProblemType;

import static com.example.couponservice.web.ProblemType.BAD_REQUEST;
import static com.example.couponservice.web.ProblemType.COUPON_ALREADY_REDEEMED;
import static com.example.couponservice.web.ProblemType.COUPON_EXPIRED;
import static com.example.couponservice.web.ProblemType.COUPON_NOT_FOUND;
import static com.example.couponservice.web.ProblemType.COUPON_VOID;
import static com.example.couponservice.web.ProblemType.INVALID_COUPON_CODE;
import static com.example.couponservice.web.ProblemType.INVALID_FIELD;
import static com.example.couponservice.web.ProblemType.MALFORMED_REQUEST;
import static com.example.couponservice.web.ProblemType.METHOD_NOT_ALLOWED;
import static com.example.couponservice.web.ProblemType.MISSING_PARAMETER;
import static com.example.couponservice.web.ProblemType.NOT_ACCEPTABLE;
import static com.example.couponservice.web.ProblemType.PAYLOAD_TOO_LARGE;
import static com.example.couponservice.web.ProblemType.RATE_LIMITED;
import static com.example.couponservice.web.ProblemType.SERVICE_UNAVAILABLE;
import static com.example.couponservice.web.ProblemType.STORE_FULL;
import static com.example.couponservice.web.ProblemType.UNAUTHORIZED;
import static com.example.couponservice.web.ProblemType.UNSUPPORTED_MEDIA_TYPE;

/**
 * The OpenAPI description at /v3/api-docs (Swagger UI at /swagger-ui.html): springdoc
 * derives the operations and schemas from the controller; this adds what it cannot see,
 * which problem types each operation answers with, the rate-limit headers, and the admin
 * bearer scheme. Both switch off with {@code springdoc.api-docs.enabled=false} and
 * {@code springdoc.swagger-ui.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String ADMIN_SCHEME = "adminToken";

	static final String PROBLEM_SCHEMA = "Problem";

	private static final List<ProblemType> BODY_ERRORS = List.of(MALFORMED_REQUEST, PAYLOAD_TOO_LARGE,
			UNSUPPORTED_MEDIA_TYPE, METHOD_NOT_ALLOWED);

	/** The problems each operation can answer with, besides its success. */
	private static final Map<String, List<ProblemType>> ERRORS = Map.of("POST /generate-coupon",
			concat(BODY_ERRORS, INVALID_FIELD, UNAUTHORIZED, SERVICE_UNAVAILABLE, STORE_FULL), "POST /generate-coupons",
			concat(BODY_ERRORS, INVALID_FIELD, UNAUTHORIZED, NOT_ACCEPTABLE, SERVICE_UNAVAILABLE, STORE_FULL),
			"POST /redeem-coupon",
			concat(BODY_ERRORS, INVALID_COUPON_CODE, INVALID_FIELD, COUPON_NOT_FOUND, COUPON_ALREADY_REDEEMED,
					COUPON_EXPIRED, COUPON_VOID, NOT_ACCEPTABLE, RATE_LIMITED, SERVICE_UNAVAILABLE),
			"GET /coupon-status",
			List.of(INVALID_COUPON_CODE, MISSING_PARAMETER, BAD_REQUEST, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE,
					RATE_LIMITED, SERVICE_UNAVAILABLE),
			"POST /void-coupon",
			concat(BODY_ERRORS, INVALID_COUPON_CODE, UNAUTHORIZED, COUPON_NOT_FOUND, COUPON_ALREADY_REDEEMED,
					SERVICE_UNAVAILABLE),
			"GET /campaigns/{campaign}/stats", List.of(INVALID_FIELD, UNAUTHORIZED, SERVICE_UNAVAILABLE));

	private static final List<String> ADMIN = List.of("POST /generate-coupon", "POST /generate-coupons",
			"POST /void-coupon", "GET /campaigns/{campaign}/stats");

	private static final List<String> RATE_LIMITED_OPERATIONS = List.of("POST /redeem-coupon", "GET /coupon-status");

	private static List<ProblemType> concat(List<ProblemType> base, ProblemType... more) {
		List<ProblemType> all = new ArrayList<>(base);
		all.addAll(List.of(more));
		return all;
	}

	@Bean
	OpenAPI couponOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Coupon service")
				.version("1")
				.description("Single-use 8-character coupon codes. Every error is an RFC 9457 problem document "
						+ "(application/problem+json) whose type names the error kind."))
			.components(new Components()
				.addSecuritySchemes(ADMIN_SCHEME,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("coupon.security.admin-token; required on admin operations when it is set"))
				.addSchemas(PROBLEM_SCHEMA,
						new ObjectSchema().description("RFC 9457 problem document")
							.addProperty("type",
									new StringSchema().format("uri-reference")
										.description("the error kind, e.g. /problems/coupon-not-found"))
							.addProperty("title", new StringSchema())
							.addProperty("status", new IntegerSchema())
							.addProperty("detail", new StringSchema().description("what was wrong with this request"))
							.addProperty("instance", new StringSchema().description("the request path"))
							.addProperty("field",
									new StringSchema().description("the offending field, when there is one"))
							.addProperty("code", new StringSchema().description("the coupon code, when it matters"))));
	}

	@Bean
	OpenApiCustomizer problemResponses() {
		return (openApi) -> openApi.getPaths()
			.forEach((path, item) -> item.readOperationsMap()
				.forEach((method, operation) -> describe(method + " " + path, operation)));
	}

	private void describe(String key, Operation operation) {
		List<ProblemType> problems = ERRORS.get(key);
		if (problems == null) {
			return;
		}
		Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
		problems.forEach((type) -> byStatus.computeIfAbsent(type.status().value(), (s) -> new ArrayList<>()).add(type));
		byStatus
			.forEach((status, types) -> operation.getResponses().addApiResponse(status.toString(), response(types)));
		if (ADMIN.contains(key)) {
			operation.addSecurityItem(new SecurityRequirement().addList(ADMIN_SCHEME));
		}
		if (RATE_LIMITED_OPERATIONS.contains(key)) {
			operation.getResponses().values().forEach(OpenApiConfiguration::addRateLimitHeaders);
			operation.getResponses()
				.get("429")
				.addHeaderObject("Retry-After", new Header().description("seconds until a request is allowed again")
					.schema(new IntegerSchema()));
		}
		if (key.equals("POST /generate-coupon")) {
			operation.getResponses()
				.get("201")
				.addHeaderObject("Location",
						new Header().description("/coupon-status?code=CODE").schema(new StringSchema()));
		}
	}

	private static ApiResponse response(List<ProblemType> types) {
		StringBuilder description = new StringBuilder();
		Map<String, Example> examples = new LinkedHashMap<>();
		for (ProblemType type : types) {
			description.append(description.isEmpty() ? "" : "; ")
				.append(type.type())
				.append(": ")
				.append(type.description());
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("type", type.type().toString());
			body.put("title", type.title());
			body.put("status", type.status().value());
			body.put("detail", type.description());
			examples.put(type.name().toLowerCase(Locale.ROOT).replace('_', '-'),
					new Example().summary(type.title()).value(body));
		}
		MediaType problem = new MediaType().schema(new ObjectSchema().$ref("#/components/schemas/" + PROBLEM_SCHEMA))
			.examples(examples);
		return new ApiResponse().description(description.toString())
			.content(new Content().addMediaType("application/problem+json", problem));
	}

	private static void addRateLimitHeaders(ApiResponse response) {
		response.addHeaderObject("X-RateLimit-Limit",
				new Header().description("requests allowed per window").schema(new IntegerSchema()));
		response.addHeaderObject("X-RateLimit-Remaining",
				new Header().description("requests left in this window").schema(new IntegerSchema()));
		response.addHeaderObject("X-RateLimit-Reset",
				new Header().description("seconds until the budget is full again").schema(new IntegerSchema()));
	}

}
