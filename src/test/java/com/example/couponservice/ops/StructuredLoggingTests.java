package com.example.couponservice.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One setting turns the console into ECS JSON lines, with the client address from the
 * MDC. A context of its own: the log format is fixed when the context starts.
 */
@SpringBootTest(properties = "logging.structured.format.console=ecs")
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
@Isolated("the log format is global to the JVM: another context starting meanwhile would reset it")
class StructuredLoggingTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JsonMapper json;

	@Test
	void redemptionOutcomesAreJsonLinesWithTheClientAndAMaskedCode(CapturedOutput output) {
		this.mvc.post().uri("/redeem-coupon").with((request) -> {
			request.setRemoteAddr("192.0.2.44");
			return request;
		}).contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"QRST-UVWX\"}").exchange();
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("Redemption not_found"))
			.findFirst()
			.orElseThrow();
		JsonNode event = this.json.readTree(line);
		assertThat(event.get("message").asString()).isEqualTo("Redemption not_found code=QR****WX client=192.0.2.44");
		assertThat(event.at("/log/level").asString()).isEqualTo("INFO");
		assertThat(event.at("/client/ip").asString()).isEqualTo("192.0.2.44");
		assertThat(line).doesNotContain("QRSTUVWX");
	}

}
