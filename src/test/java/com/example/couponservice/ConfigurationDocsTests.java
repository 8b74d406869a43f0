package com.example.couponservice;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's configuration table against the metadata that
 * {@code spring-boot-configuration-processor} generates from the
 * {@code @ConfigurationProperties} records: every {@code coupon.*} property is listed,
 * with the default the code really has, and no row names a property that does not exist.
 */
class ConfigurationDocsTests {

	/** A table row: {@code | `name` | `default` or none | meaning |}. */
	private static final Pattern ROW = Pattern.compile("(?m)^\\| `(coupon\\.[a-z0-9.-]+)` \\| ([^|]+) \\|");

	@Test
	void readmeListsEveryPropertyWithItsDefault() throws IOException {
		Map<String, String> documented = readmeTable();
		Map<String, String> actual = metadata();

		assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(actual.keySet());
		actual.forEach((name, value) -> assertThat(documented.get(name)).as(name).isEqualTo(value));
	}

	/** Property name to default, as README writes it ({@code `5`} or none). */
	private static Map<String, String> readmeTable() throws IOException {
		String readme = Files.readString(Path.of("README.md"));
		Map<String, String> rows = new LinkedHashMap<>();
		Matcher matcher = ROW.matcher(readme);
		while (matcher.find()) {
			String previous = rows.put(matcher.group(1), matcher.group(2).strip());
			assertThat(previous).as("README lists %s once", matcher.group(1)).isNull();
		}
		return rows;
	}

	/** Property name to default, written as README must write it. */
	private static Map<String, String> metadata() throws IOException {
		JsonNode metadata;
		try (InputStream in = ConfigurationDocsTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("configuration metadata on the class path").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		Map<String, String> properties = new LinkedHashMap<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("coupon.")) {
				JsonNode value = property.get("defaultValue");
				properties.put(name, (value == null || value.isNull()) ? "none" : "`" + value.asString() + "`");
			}
		}
		assertThat(properties).isNotEmpty();
		return properties;
	}

}
