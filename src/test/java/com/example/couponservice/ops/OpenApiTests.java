package com.example.couponservice.ops;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.example.couponservice.support.RateLimitedServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

@RateLimitedServiceTest
class OpenApiTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JsonMapper json;

	/** Every operation, and the statuses its description must list. */
	static final Map<String, List<String>> OPERATIONS = Map.of("/generate-coupon post",
			List.of("201", "400", "401", "413", "415", "503", "507"), "/generate-coupons post",
			List.of("201", "400", "401", "406", "413", "415", "507"), "/redeem-coupon post",
			List.of("200", "400", "404", "409", "413", "415", "429", "503"), "/coupon-status get",
			List.of("200", "400", "429"), "/void-coupon post", List.of("200", "400", "401", "404", "409"),
			"/campaigns/{campaign}/stats get", List.of("200", "400", "401"));

	@Test
	void describesEveryEndpointWithItsErrorsAsProblemTypes() throws Exception {
		MvcTestResult result = this.mvc.get().uri("/v3/api-docs").exchange();
		assertThat(result).hasStatus(HttpStatus.OK);
		JsonNode api = this.json.readTree(result.getResponse().getContentAsString());
		assertThat(api.get("openapi").asString()).startsWith("3.1");
		assertThat(api.at("/components/securitySchemes/adminToken/scheme").asString()).isEqualTo("bearer");
		OPERATIONS.forEach((key, statuses) -> {
			String[] parts = key.split(" ");
			JsonNode operation = api.get("paths").get(parts[0]).get(parts[1]);
			assertThat(operation).as(key).isNotNull();
			assertThat(operation.get("summary").asString()).as(key).isNotBlank();
			for (String status : statuses) {
				JsonNode response = operation.get("responses").get(status);
				assertThat(response).as(key + " " + status).isNotNull();
				if (status.startsWith("4") || status.startsWith("5")) {
					JsonNode examples = response.at("/content/application~1problem+json/examples");
					assertThat(examples.size()).as(key + " " + status).isPositive();
					examples.forEach(
							(example) -> assertThat(example.at("/value/type").asString()).startsWith("/problems/"));
				}
			}
		});
		assertThat(api.at("/paths/~1redeem-coupon/post/responses/409/content/application~1problem+json/examples")
			.propertyNames()).contains("coupon-already-redeemed", "coupon-expired", "coupon-void");
		assertThat(api.at("/paths/~1generate-coupon/post/security/0/adminToken").isArray()).isTrue();
		assertThat(api.at("/paths/~1redeem-coupon/post/security").isMissingNode()).isTrue();
		assertThat(api.at("/paths/~1redeem-coupon/post/responses/200/headers/X-RateLimit-Remaining").isObject())
			.isTrue();
		assertThat(api.at("/components/schemas/RedeemRequest/properties/code/example").asString())
			.isEqualTo("AB2C4XYZ");
	}

	@Test
	void swaggerUiIsServed() {
		assertThat(this.mvc.get().uri("/swagger-ui/index.html")).hasStatus(HttpStatus.OK);
	}

}
