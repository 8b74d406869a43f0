package com.example.couponservice.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

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
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.couponservice.coupon.web.CouponEndpoint;
import com.example.couponservice.web.ProblemType;

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

	/** The operations, by the key {@link #describe} is called with. */
	private static final Map<String, CouponEndpoint> ENDPOINTS = Arrays.stream(CouponEndpoint.values())
		.collect(Collectors.toMap((endpoint) -> endpoint.method().name() + " " + endpoint.path(), Function.identity()));

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
		CouponEndpoint endpoint = ENDPOINTS.get(key);
		if (endpoint == null) {
			return;
		}
		Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
		endpoint.problems()
			.forEach((type) -> byStatus.computeIfAbsent(type.status().value(), (s) -> new ArrayList<>()).add(type));
		byStatus
			.forEach((status, types) -> operation.getResponses().addApiResponse(status.toString(), response(types)));
		if (endpoint.isAdmin()) {
			operation.addSecurityItem(new SecurityRequirement().addList(ADMIN_SCHEME));
		}
		ApiResponses responses = operation.getResponses();
		if (endpoint.budget() != null) {
			responses.values().forEach(OpenApiConfiguration::addRateLimitHeaders);
			responses.computeIfAbsent("429", (status) -> new ApiResponse())
				.addHeaderObject("Retry-After", new Header().description("seconds until a request is allowed again")
					.schema(new IntegerSchema()));
		}
		if (endpoint == CouponEndpoint.GENERATE) {
			responses.computeIfAbsent("201", (status) -> new ApiResponse())
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
			examples.put(type.type().getPath().substring("/problems/".length()),
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
