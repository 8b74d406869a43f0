package com.example.couponservice.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.example.couponservice.support.ServiceTest;
import com.example.couponservice.support.RawHttp;
import com.example.couponservice.support.RawHttp.Response;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.example.couponservice.support.Scrapes.delta;
import static com.example.couponservice.support.Scrapes.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile requests against every endpoint, sent byte for byte over real
 * loopback sockets, so Tomcat's own parsing is in the path as well as the filters, Spring
 * MVC and Jackson. Each row of the table names the status and the problem type it must
 * get; every answer must be a problem document that echoes no stack trace, exception or
 * Java type name and no HTML.
 * <p>
 * Many rows wrap a request that would redeem or void the one coupon kept aside
 * ({@code target}) in something that must make the service refuse it: a gzip coding, a
 * body over 4 KiB, a look-alike character, a duplicate key. The last test checks that
 * none got through: the target is still UNUSED, and no redemption, void or generation was
 * counted while the table ran.
 * <p>
 * The JSON policy under test is {@code web/JsonConfiguration}'s, applied by Jackson 3:
 * <ul>
 * <li>unknown fields are rejected ({@code "refrence"} is an error, not ignored);</li>
 * <li>duplicate keys are rejected, and so is anything after the one top-level value;</li>
 * <li>no coercion: a number, boolean, array or object is never turned into the string
 * {@code code} (or {@code reference}), and a string, float or boolean never into the
 * number {@code count};</li>
 * <li>numbers beyond 1000 digits are refused by Jackson's stream limits, and bodies
 * beyond 4 KiB never reach Jackson (413), so neither can nesting 10,000 deep;</li>
 * <li>tolerated, as RFC 8259 section 8.1 allows: a UTF-8 byte order mark before the body
 * and, through Jackson's encoding detection, UTF-16 bodies.</li>
 * </ul>
 */
@ServiceTest
@ExtendWith(OutputCaptureExtension.class)
@Isolated("checks that nothing at all logs an error while it runs")
class HostileInputTests {

	private static final String CLIENT = "127.0.0.1";

	private static final String APP = "application=\"coupon-service\"";

	/**
	 * What must never reach a client: stack frames, exception and Java type names, HTML.
	 */
	private static final Pattern LEAK = Pattern.compile("(?i)exception|\\tat |\\bat (com|org|java|jdk|sun)\\."
			+ "|<html|<!doctype|\\b(com|org|java|javax|jakarta|tools|sun)\\.[a-z]+\\.|`[^`]*[.$][^`]*`");

	/** Latin letters and the Cyrillic letters that look the same. */
	private static final Map<Character, Character> CYRILLIC = Map.of('A', '\u0410', 'B', '\u0412', 'C', '\u0421', 'E',
			'\u0415', 'H', '\u041D', 'K', '\u041A', 'M', '\u041C', 'P', '\u0420', 'T', '\u0422', 'X', '\u0425');

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@TestFactory
	Stream<DynamicTest> malformedRequestsGetSpecificProblemsAndChangeNoCoupon(CapturedOutput output)
			throws IOException {
		String target = pickTarget();
		String before = scrape();
		int logStart = output.length();
		List<Case> table = table(target);
		assertThat(table).hasSizeGreaterThanOrEqualTo(180);
		System.out.println("HostileInputTests: " + table.size() + " malformed requests");
		Stream<DynamicTest> rows = table.stream()
			.map((row) -> DynamicTest.dynamicTest(row.name(), () -> assertAnswer(row, send(row))));
		DynamicTest nothingChanged = DynamicTest
			.dynamicTest("no coupon changed, none was created, nothing logged an error", () -> {
				String after = scrape();
				assertThat(status(target).body()).contains("\"status\":\"UNUSED\"");
				assertThat(delta(before, after, "coupon_redemptions_total{" + APP + ",outcome=\"redeemed\"}")).isZero();
				assertThat(delta(before, after, "coupon_voided_total{" + APP + "}")).isZero();
				for (String source : new String[] { "pool", "on_demand", "bulk" }) {
					assertThat(delta(before, after, "coupon_generated_total{" + APP + ",source=\"" + source + "\"}"))
						.as(source)
						.isZero();
				}
				assertThat(output.toString().substring(logStart)).doesNotContainPattern("(?m)^\\S+\\s+ERROR ");
			});
		return Stream.concat(rows, Stream.of(nothingChanged));
	}

	/**
	 * Generates 200 coupons and keeps one that has an S (for the long-s look-alike) and a
	 * letter with a Cyrillic twin; with 200 random codes one always qualifies.
	 */
	private String pickTarget() throws IOException {
		Response bulk = RawHttp.postJson(CLIENT, this.port, "/generate-coupons", "{\"count\":200}");
		assertThat(bulk.status()).isEqualTo(201);
		for (JsonNode code : this.json.readTree(bulk.body()).get("codes")) {
			String candidate = code.asString();
			if (candidate.indexOf('S') >= 0 && !cyrillic(candidate).equals(candidate)) {
				return candidate;
			}
		}
		throw new AssertionError("no generated code has an S and a letter with a Cyrillic twin");
	}

	private static List<Case> table(String t) {
		String redeemT = "{\"code\":\"" + t + "\"}";
		String over4k = redeemT + " ".repeat(5000);
		List<Case> table = new ArrayList<>();

		// POST /redeem-coupon: broken, truncated and wrongly typed JSON.
		table.add(new Case("redeem: truncated JSON", post("/redeem-coupon", "{\"code\":\"" + t), 400,
				"malformed-request"));
		table.add(new Case("redeem: missing colon", post("/redeem-coupon", "{\"code\" \"" + t + "\"}"), 400,
				"malformed-request"));
		table.add(new Case("redeem: single quotes", post("/redeem-coupon", "{'code':'" + t + "'}"), 400,
				"malformed-request"));
		table.add(new Case("redeem: unquoted key", post("/redeem-coupon", "{code:\"" + t + "\"}"), 400,
				"malformed-request"));
		table.add(new Case("redeem: trailing comma", post("/redeem-coupon", "{\"code\":\"" + t + "\",}"), 400,
				"malformed-request"));
		table.add(new Case("redeem: comment before the body", post("/redeem-coupon", "/* hi */" + redeemT), 400,
				"malformed-request"));
		table.add(new Case("redeem: code as number", post("/redeem-coupon", "{\"code\":12345678}"), 400,
				"malformed-request"));
		table.add(new Case("redeem: code as boolean", post("/redeem-coupon", "{\"code\":true}"), 400,
				"malformed-request"));
		table.add(new Case("redeem: code as array", post("/redeem-coupon", "{\"code\":[\"" + t + "\"]}"), 400,
				"malformed-request"));
		table.add(new Case("redeem: code as object", post("/redeem-coupon", "{\"code\":" + redeemT + "}"), 400,
				"malformed-request"));
		table.add(new Case("redeem: code null", post("/redeem-coupon", "{\"code\":null}"), 400, "invalid-coupon-code"));
		table.add(new Case("redeem: empty object", post("/redeem-coupon", "{}"), 400, "invalid-coupon-code"));
		table.add(new Case("redeem: reference as number",
				post("/redeem-coupon", "{\"code\":\"" + t + "\",\"reference\":42}"), 400, "malformed-request"));
		table.add(new Case("redeem: duplicate key",
				post("/redeem-coupon", "{\"code\":\"" + t + "\",\"code\":\"" + t + "\"}"), 400, "malformed-request"));
		table.add(new Case("redeem: unknown field",
				post("/redeem-coupon", "{\"code\":\"" + t + "\",\"refrence\":\"x\"}"), 400, "malformed-request"));
		table.add(new Case("redeem: trailing garbage", post("/redeem-coupon", redeemT + " garbage"), 400,
				"malformed-request"));
		table.add(new Case("redeem: second object after the body", post("/redeem-coupon", redeemT + redeemT), 400,
				"malformed-request"));
		table.add(new Case("redeem: body is an array", post("/redeem-coupon", "[" + redeemT + "]"), 400,
				"malformed-request"));
		table.add(new Case("redeem: body is a string", post("/redeem-coupon", "\"" + t + "\""), 400,
				"malformed-request"));
		table.add(new Case("redeem: body is a number", post("/redeem-coupon", "12345678"), 400, "malformed-request"));
		table.add(new Case("redeem: body is JSON null", post("/redeem-coupon", "null"), 400, "malformed-request"));
		table.add(new Case("redeem: empty body", post("/redeem-coupon", ""), 400, "malformed-request"));
		table.add(new Case("redeem: NaN", post("/redeem-coupon", "{\"code\":NaN}"), 400, "malformed-request"));

		// Huge strings and numbers, deep nesting.
		table.add(new Case("redeem: 3,900-character code",
				post("/redeem-coupon", "{\"code\":\"" + t + "A".repeat(3900) + "\"}"), 400, "invalid-coupon-code"));
		table.add(new Case("redeem: 3,900-character reference",
				post("/redeem-coupon", "{\"code\":\"" + t + "\",\"reference\":\"" + "r".repeat(3900) + "\"}"), 400,
				"invalid-field"));
		table.add(new Case("redeem: valid body padded past 4 KiB", post("/redeem-coupon", over4k), 413,
				"payload-too-large"));
		table.add(new Case("redeem: code 1e400", post("/redeem-coupon", "{\"code\":1e400}"), 400, "malformed-request"));
		table.add(new Case("redeem: code 99999999999999999999",
				post("/redeem-coupon", "{\"code\":99999999999999999999}"), 400, "malformed-request"));
		table.add(new Case("redeem: 2,000-digit number", post("/redeem-coupon", "{\"code\":" + "9".repeat(2000) + "}"),
				400, "malformed-request"));
		table.add(new Case("redeem: 2,000 nested arrays", post("/redeem-coupon", "[".repeat(2000)), 400,
				"malformed-request"));
		table.add(new Case("redeem: 10,000 nested arrays", post("/redeem-coupon", "[".repeat(10_000)), 413,
				"payload-too-large"));

		// Look-alikes, invisible and control characters, bad bytes.
		table.add(new Case("redeem: fullwidth code", post("/redeem-coupon", "{\"code\":\"" + fullwidth(t) + "\"}"), 400,
				"invalid-coupon-code"));
		table.add(new Case("redeem: Cyrillic look-alike letters",
				post("/redeem-coupon", "{\"code\":\"" + cyrillic(t) + "\"}"), 400, "invalid-coupon-code"));
		table.add(new Case("redeem: long s for S",
				post("/redeem-coupon", "{\"code\":\"" + t.replace('S', '\u017F') + "\"}"), 400, "invalid-coupon-code"));
		table.add(new Case("redeem: zero-width space inside the code",
				post("/redeem-coupon", "{\"code\":\"" + t.substring(0, 4) + "\u200B" + t.substring(4) + "\"}"), 400,
				"invalid-coupon-code"));
		table.add(new Case("redeem: byte order mark inside the code",
				post("/redeem-coupon", "{\"code\":\"\uFEFF" + t + "\"}"), 400, "invalid-coupon-code"));
		table.add(new Case("redeem: escaped NUL in the code", post("/redeem-coupon", "{\"code\":\"" + t + "\\u0000\"}"),
				400, "invalid-coupon-code"));
		table.add(new Case("redeem: raw control character in a string",
				post("/redeem-coupon", "{\"code\":\"" + t.substring(0, 4) + "\u0001" + t.substring(4) + "\"}"), 400,
				"malformed-request"));
		table.add(new Case("redeem: bell in the reference",
				post("/redeem-coupon", "{\"code\":\"" + t + "\",\"reference\":\"a\\u0007b\"}"), 400, "invalid-field"));
		table.add(new Case("redeem: lone surrogate escape",
				post("/redeem-coupon", "{\"code\":\"" + t.substring(1) + "\\uD800\"}"), 400, "invalid-coupon-code"));
		table.add(new Case("redeem: invalid UTF-8 bytes",
				postBytes("/redeem-coupon", "application/json",
						concat("{\"code\":\"".getBytes(StandardCharsets.US_ASCII),
								new byte[] { (byte) 0xFF, (byte) 0xFE },
								(t + "\"}").getBytes(StandardCharsets.US_ASCII))),
				400, "malformed-request"));
		table.add(new Case("redeem: truncated UTF-8 sequence",
				postBytes("/redeem-coupon", "application/json",
						concat("{\"code\":\"".getBytes(StandardCharsets.US_ASCII), new byte[] { (byte) 0xC3 },
								"\"}".getBytes(StandardCharsets.US_ASCII))),
				400, "malformed-request"));
		table.add(new Case("redeem: UTF-8 BOM is read past (unknown code)",
				postBytes("/redeem-coupon", "application/json",
						concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF },
								"{\"code\":\"ZZZZZZZZ\"}".getBytes(StandardCharsets.US_ASCII))),
				404, "coupon-not-found"));
		table
			.add(new Case("redeem: UTF-8 BOM does not relax strictness",
					postBytes("/redeem-coupon", "application/json",
							concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF },
									(redeemT + redeemT).getBytes(StandardCharsets.US_ASCII))),
					400, "malformed-request"));
		table.add(
				new Case("redeem: UTF-16 body is detected (unknown code)",
						postBytes("/redeem-coupon", "application/json",
								"{\"code\":\"ZZZZZZZZ\"}".getBytes(StandardCharsets.UTF_16BE)),
						404, "coupon-not-found"));

		// Content types, codings and framing.
		table.add(new Case("redeem: text/plain", postBytes("/redeem-coupon", "text/plain", utf8(redeemT)), 415,
				"unsupported-media-type"));
		table.add(new Case("redeem: no Content-Type", postBytes("/redeem-coupon", null, utf8(redeemT)), 415,
				"unsupported-media-type"));
		table.add(new Case("redeem: application/xml",
				postBytes("/redeem-coupon", "application/xml", utf8("<code>" + t + "</code>")), 415,
				"unsupported-media-type"));
		table.add(new Case("redeem: unparseable Content-Type",
				postBytes("/redeem-coupon", "application/", utf8(redeemT)), 415, "unsupported-media-type"));
		table.add(new Case("redeem: unknown charset",
				postBytes("/redeem-coupon", "application/json;charset=no-such-charset", utf8(redeemT)), 415,
				"unsupported-media-type"));
		table.add(new Case("redeem: Content-Encoding gzip on a plain body",
				post("/redeem-coupon", redeemT, "Content-Encoding: gzip"), 415, "unsupported-media-type"));
		table.add(new Case("redeem: chunked body over 4 KiB", chunked("/redeem-coupon", over4k), 413,
				"payload-too-large"));
		table.add(new Case("redeem: malformed chunk size", latin1(
				"POST /redeem-coupon HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
						+ redeemT + "\r\n0\r\n\r\n"),
				400, "bad-request"));
		table.add(new Case("redeem: Content-Length not a number", latin1(
				"POST /redeem-coupon HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: twelve\r\n\r\n"
						+ redeemT),
				400, "bad-request"));
		table.add(new Case("redeem: Accept image/png", post("/redeem-coupon", redeemT, "Accept: image/png"), 406,
				"not-acceptable"));
		table.add(new Case("redeem: unparseable Accept", post("/redeem-coupon", redeemT, "Accept: ///"), 406,
				"not-acceptable"));
		table.add(new Case("redeem: Idempotency-Key differs from reference",
				post("/redeem-coupon", "{\"code\":\"" + t + "\",\"reference\":\"a\"}", "Idempotency-Key: b"), 400,
				"invalid-field"));
		table.add(new Case("redeem: 100-character Idempotency-Key",
				post("/redeem-coupon", redeemT, "Idempotency-Key: " + "k".repeat(100)), 400, "invalid-field"));
		table.add(new Case("redeem: invalid %-escape in the path", post("/redeem-coupon%zz", redeemT), 400,
				"bad-request"));
		for (String method : new String[] { "GET", "PUT", "DELETE", "PATCH", "TRACE" }) {
			table.add(new Case("redeem: " + method, request(method, "/redeem-coupon", redeemT), 405,
					"method-not-allowed"));
		}

		// POST /generate-coupon
		table.add(new Case("generate: campaign as array", post("/generate-coupon", "{\"campaign\":[\"x\"]}"), 400,
				"malformed-request"));
		table.add(new Case("generate: ttl not a duration", post("/generate-coupon", "{\"ttl\":\"thirty days\"}"), 400,
				"invalid-field"));
		table.add(new Case("generate: ttl as a bare number", post("/generate-coupon", "{\"ttl\":5}"), 400,
				"malformed-request"));
		table.add(new Case("generate: expiresAt as epoch seconds",
				post("/generate-coupon", "{\"expiresAt\":1893456000}"), 400, "malformed-request"));
		table.add(new Case("generate: expiresAt as a numeric string",
				post("/generate-coupon", "{\"expiresAt\":\"1893456000\"}"), 400, "invalid-field"));
		table.add(new Case("generate: ttl past what a store can hold",
				post("/generate-coupon", "{\"ttl\":\"P200000000000D\"}"), 400, "invalid-field"));
		table.add(new Case("generate: expiresAt in the year 300,000,000",
				post("/generate-coupon", "{\"expiresAt\":\"+300000000-01-01T00:00:00Z\"}"), 400, "invalid-field"));
		table.add(new Case("generate: expiresAt in the past",
				post("/generate-coupon", "{\"expiresAt\":\"2020-01-01T00:00:00Z\"}"), 400, "invalid-field"));
		table.add(new Case("generate: expiresAt not an instant",
				post("/generate-coupon", "{\"expiresAt\":\"tomorrow\"}"), 400, "invalid-field"));
		table.add(new Case("generate: metadata value a number", post("/generate-coupon", "{\"metadata\":{\"a\":1}}"),
				400, "malformed-request"));
		table.add(new Case("generate: 17 metadata entries", post("/generate-coupon", metadata(17)), 400,
				"invalid-field"));
		table.add(new Case("generate: unknown field", post("/generate-coupon", "{\"count\":1}"), 400,
				"malformed-request"));
		table.add(new Case("generate: body is an array", post("/generate-coupon", "[]"), 400, "malformed-request"));
		table.add(new Case("generate: truncated JSON", post("/generate-coupon", "{"), 400, "malformed-request"));
		table.add(new Case("generate: campaign with a Cyrillic letter",
				post("/generate-coupon", "{\"campaign\":\"\u0410\"}"), 400, "invalid-field"));
		table.add(new Case("generate: text/plain", postBytes("/generate-coupon", "text/plain", utf8("{}")), 415,
				"unsupported-media-type"));
		table.add(new Case("generate: body without Content-Type", postBytes("/generate-coupon", null, utf8("{}")), 415,
				"unsupported-media-type"));
		table.add(new Case("generate: Content-Encoding gzip", post("/generate-coupon", "{}", "Content-Encoding: gzip"),
				415, "unsupported-media-type"));
		table.add(new Case("generate: body over 16 KiB", post("/generate-coupon", "{}" + " ".repeat(17_000)), 413,
				"payload-too-large"));
		for (String method : new String[] { "GET", "DELETE", "TRACE" }) {
			table.add(new Case("generate: " + method, request(method, "/generate-coupon", "{}"), 405,
					"method-not-allowed"));
		}

		// POST /generate-coupons
		table.add(new Case("bulk: count as string", post("/generate-coupons", "{\"count\":\"5\"}"), 400,
				"malformed-request"));
		table.add(new Case("bulk: count 1e400", post("/generate-coupons", "{\"count\":1e400}"), 400,
				"malformed-request"));
		table.add(new Case("bulk: count 99999999999999999999",
				post("/generate-coupons", "{\"count\":99999999999999999999}"), 400, "malformed-request"));
		table.add(new Case("bulk: count 1.5", post("/generate-coupons", "{\"count\":1.5}"), 400, "malformed-request"));
		table.add(new Case("bulk: count as boolean", post("/generate-coupons", "{\"count\":true}"), 400,
				"malformed-request"));
		table.add(new Case("bulk: count with a plus sign", post("/generate-coupons", "{\"count\":+1}"), 400,
				"malformed-request"));
		table.add(new Case("bulk: count null", post("/generate-coupons", "{\"count\":null}"), 400, "invalid-field"));
		table.add(new Case("bulk: count missing", post("/generate-coupons", "{}"), 400, "invalid-field"));
		table.add(new Case("bulk: count 0", post("/generate-coupons", "{\"count\":0}"), 400, "invalid-field"));
		table.add(new Case("bulk: count 10001", post("/generate-coupons", "{\"count\":10001}"), 400, "invalid-field"));
		table.add(new Case("bulk: duplicate count", post("/generate-coupons", "{\"count\":1,\"count\":2}"), 400,
				"malformed-request"));
		table.add(new Case("bulk: empty body", post("/generate-coupons", ""), 400, "malformed-request"));
		table.add(new Case("bulk: bad count with Accept text/csv",
				post("/generate-coupons", "{\"count\":0}", "Accept: text/csv"), 400, "invalid-field"));
		table.add(
				new Case("bulk: PUT", request("PUT", "/generate-coupons", "{\"count\":1}"), 405, "method-not-allowed"));

		// GET /coupon-status
		table.add(new Case("status: no code", get("/coupon-status"), 400, "missing-parameter"));
		table.add(new Case("status: empty code", get("/coupon-status?code="), 400, "invalid-coupon-code"));
		table.add(new Case("status: %00 in the query", get("/coupon-status?code=%00" + t.substring(1)), 400,
				"invalid-coupon-code"));
		table.add(new Case("status: control character inside the code",
				get("/coupon-status?code=" + t.substring(0, 4) + "%01" + t.substring(4)), 400, "invalid-coupon-code"));
		table.add(new Case("status: fullwidth code", get("/coupon-status?code=" + percent(fullwidth(t))), 400,
				"invalid-coupon-code"));
		table.add(new Case("status: Cyrillic look-alike letters", get("/coupon-status?code=" + percent(cyrillic(t))),
				400, "invalid-coupon-code"));
		table.add(new Case("status: long s for S", get("/coupon-status?code=" + percent(t.replace('S', '\u017F'))), 400,
				"invalid-coupon-code"));
		table.add(new Case("status: zero-width space",
				get("/coupon-status?code=" + t.substring(0, 4) + "%E2%80%8B" + t.substring(4)), 400,
				"invalid-coupon-code"));
		table.add(new Case("status: code given twice", get("/coupon-status?code=" + t + "&code=" + t), 400,
				"invalid-coupon-code"));
		table.add(new Case("status: 4,000-character code", get("/coupon-status?code=" + "A".repeat(4000)), 400,
				"invalid-coupon-code"));
		table.add(new Case("status: invalid %-escape in the query", get("/coupon-status?code=%zz" + t), 400,
				"bad-request"));
		table.add(new Case("status: %-escaped bytes that are not UTF-8", get("/coupon-status?code=%FF%FE" + t), 400,
				"bad-request"));
		table.add(new Case("status: an HTTP version that does not exist",
				latin1("GET /coupon-status?code=" + t + " HTTP/9.9\r\nHost: localhost\r\n\r\n"), 505,
				"http-version-not-supported"));
		table.add(new Case("status: raw control byte in the request line",
				latin1("GET /coupon-status?code=\u0001" + t + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400,
				"bad-request"));
		table.add(new Case("status: query string over 8 KiB", get("/coupon-status?code=" + "A".repeat(9000)), 400,
				"bad-request"));
		table.add(new Case("status: header over 8 KiB",
				get("/coupon-status?code=" + t, "X-Padding: " + "p".repeat(9000)), 400, "bad-request"));
		table.add(new Case("status: Accept text/csv", get("/coupon-status?code=" + t, "Accept: text/csv"), 406,
				"not-acceptable"));
		for (String method : new String[] { "PUT", "DELETE", "PATCH" }) {
			table.add(new Case("status: " + method, request(method, "/coupon-status?code=" + t, ""), 405,
					"method-not-allowed"));
		}
		table.add(new Case("status by POST: empty body", request("POST", "/coupon-status", ""), 400,
				"malformed-request"));
		table.add(new Case("status by POST: code as number", post("/coupon-status", "{\"code\":5}"), 400,
				"malformed-request"));
		table.add(new Case("status by POST: unknown field",
				post("/coupon-status", "{\"code\":\"" + t + "\",\"reference\":\"x\"}"), 400, "malformed-request"));
		table.add(new Case("status by POST: Cyrillic look-alike letters",
				post("/coupon-status", "{\"code\":\"" + cyrillic(t) + "\"}"), 400, "invalid-coupon-code"));
		table.add(new Case("status by POST: body over 4 KiB", post("/coupon-status", "{}" + " ".repeat(5000)), 413,
				"payload-too-large"));
		table.add(new Case("status by POST: Content-Encoding gzip",
				post("/coupon-status", "{\"code\":\"" + t + "\"}", "Content-Encoding: gzip"), 415,
				"unsupported-media-type"));

		// POST /void-coupon
		table.add(new Case("void: code as number", post("/void-coupon", "{\"code\":5}"), 400, "malformed-request"));
		table.add(new Case("void: unknown field", post("/void-coupon", "{\"code\":\"" + t + "\",\"reason\":\"x\"}"),
				400, "malformed-request"));
		table.add(new Case("void: duplicate key",
				post("/void-coupon", "{\"code\":\"" + t + "\",\"code\":\"" + t + "\"}"), 400, "malformed-request"));
		table.add(new Case("void: trailing garbage", post("/void-coupon", redeemT + "]"), 400, "malformed-request"));
		table.add(new Case("void: code null", post("/void-coupon", "{\"code\":null}"), 400, "invalid-coupon-code"));
		table.add(new Case("void: fullwidth code", post("/void-coupon", "{\"code\":\"" + fullwidth(t) + "\"}"), 400,
				"invalid-coupon-code"));
		table.add(new Case("void: empty body", post("/void-coupon", ""), 400, "malformed-request"));
		table.add(new Case("void: text/plain", postBytes("/void-coupon", "text/plain", utf8(redeemT)), 415,
				"unsupported-media-type"));
		table.add(new Case("void: Content-Encoding gzip", post("/void-coupon", redeemT, "Content-Encoding: gzip"), 415,
				"unsupported-media-type"));
		table.add(new Case("void: chunked body over 4 KiB", chunked("/void-coupon", over4k), 413, "payload-too-large"));
		table.add(new Case("void: GET", request("GET", "/void-coupon", ""), 405, "method-not-allowed"));

		// GET /campaigns/{campaign}/stats
		table.add(new Case("stats: space as campaign", get("/campaigns/%20/stats"), 400, "invalid-field"));
		table.add(new Case("stats: 65-character campaign", get("/campaigns/" + "c".repeat(65) + "/stats"), 400,
				"invalid-field"));
		table.add(new Case("stats: Cyrillic campaign", get("/campaigns/%D0%90/stats"), 400, "invalid-field"));
		table.add(new Case("stats: control character campaign", get("/campaigns/%01/stats"), 400, "invalid-field"));
		table.add(new Case("stats: invalid %-escape", get("/campaigns/%zz/stats"), 400, "bad-request"));
		table.add(new Case("stats: encoded slash", get("/campaigns/a%2Fb/stats"), 400, "bad-request"));
		table.add(new Case("stats: POST", request("POST", "/campaigns/spring/stats", ""), 405, "method-not-allowed"));
		table.add(
				new Case("stats: DELETE", request("DELETE", "/campaigns/spring/stats", ""), 405, "method-not-allowed"));
		// POST /validate-coupon: as strict as redeem, and never a change.
		table.add(new Case("validate: code as number", post("/validate-coupon", "{\"code\":5}"), 400,
				"malformed-request"));
		table.add(new Case("validate: unknown field",
				post("/validate-coupon", "{\"code\":\"" + t + "\",\"reference\":\"x\"}"), 400, "malformed-request"));
		table.add(new Case("validate: duplicate key",
				post("/validate-coupon", "{\"code\":\"" + t + "\",\"code\":\"" + t + "\"}"), 400, "malformed-request"));
		table.add(new Case("validate: trailing garbage", post("/validate-coupon", redeemT + "]"), 400,
				"malformed-request"));
		table.add(new Case("validate: code null", post("/validate-coupon", "{\"code\":null}"), 400,
				"invalid-coupon-code"));
		table.add(new Case("validate: Cyrillic look-alike letters",
				post("/validate-coupon", "{\"code\":\"" + cyrillic(t) + "\"}"), 400, "invalid-coupon-code"));
		table.add(new Case("validate: empty customerId",
				post("/validate-coupon", "{\"code\":\"" + t + "\",\"customerId\":\"\"}"), 400, "invalid-field"));
		table.add(new Case("validate: customerId of 65 characters",
				post("/validate-coupon", "{\"code\":\"" + t + "\",\"customerId\":\"" + "c".repeat(65) + "\"}"), 400,
				"invalid-field"));
		table.add(new Case("validate: bell in the customerId",
				post("/validate-coupon", "{\"code\":\"" + t + "\",\"customerId\":\"a\\u0007b\"}"), 400,
				"invalid-field"));
		table.add(new Case("validate: lone surrogate in the customerId",
				post("/validate-coupon", "{\"code\":\"" + t + "\",\"customerId\":\"c\\udc00\"}"), 400,
				"invalid-field"));
		table.add(new Case("validate: customerId as number",
				post("/validate-coupon", "{\"code\":\"" + t + "\",\"customerId\":7}"), 400, "malformed-request"));
		table.add(new Case("validate: body over 4 KiB", post("/validate-coupon", over4k), 413, "payload-too-large"));
		table.add(new Case("validate: Content-Encoding gzip",
				post("/validate-coupon", redeemT, "Content-Encoding: gzip"), 415, "unsupported-media-type"));
		table.add(new Case("validate: text/plain", postBytes("/validate-coupon", "text/plain", utf8(redeemT)), 415,
				"unsupported-media-type"));
		table.add(new Case("validate: GET", get("/validate-coupon"), 405, "method-not-allowed"));

		// customerId on redeem and generation.
		table.add(new Case("redeem: empty customerId",
				post("/redeem-coupon", "{\"code\":\"" + t + "\",\"customerId\":\"\"}"), 400, "invalid-field"));
		table.add(new Case("redeem: NUL in the customerId",
				post("/redeem-coupon", "{\"code\":\"" + t + "\",\"customerId\":\"c\\u0000\"}"), 400, "invalid-field"));
		table.add(new Case("redeem: customerId as object",
				post("/redeem-coupon", "{\"code\":\"" + t + "\",\"customerId\":{}}"), 400, "malformed-request"));
		table.add(new Case("generate: customerId of 65 characters",
				post("/generate-coupon", "{\"customerId\":\"" + "c".repeat(65) + "\"}"), 400, "invalid-field"));
		table.add(new Case("generate: NUL in the customerId", post("/generate-coupon", "{\"customerId\":\"\\u0000\"}"),
				400, "invalid-field"));
		table.add(new Case("generate: bulk customerId as array",
				post("/generate-coupons", "{\"count\":1,\"customerId\":[\"a\"]}"), 400, "malformed-request"));

		// POST /reverse-redemption (the target is unused: nothing to reverse).
		table.add(new Case("reverse: code as number", post("/reverse-redemption", "{\"code\":5}"), 400,
				"malformed-request"));
		table.add(new Case("reverse: unknown field",
				post("/reverse-redemption", "{\"code\":\"" + t + "\",\"customerId\":\"x\"}"), 400,
				"malformed-request"));
		table.add(new Case("reverse: reason of 257 characters",
				post("/reverse-redemption", "{\"code\":\"" + t + "\",\"reason\":\"" + "r".repeat(257) + "\"}"), 400,
				"invalid-field"));
		table.add(new Case("reverse: NUL in the reason",
				post("/reverse-redemption", "{\"code\":\"" + t + "\",\"reason\":\"x\\u0000\"}"), 400, "invalid-field"));
		table.add(new Case("reverse: empty reason",
				post("/reverse-redemption", "{\"code\":\"" + t + "\",\"reason\":\"\"}"), 400, "invalid-field"));
		table.add(new Case("reverse: reference of 65 characters",
				post("/reverse-redemption", "{\"code\":\"" + t + "\",\"reference\":\"" + "o".repeat(65) + "\"}"), 400,
				"invalid-field"));
		table.add(new Case("reverse: fullwidth code",
				post("/reverse-redemption", "{\"code\":\"" + fullwidth(t) + "\"}"), 400, "invalid-coupon-code"));
		table.add(new Case("reverse: a coupon that is not redeemed", post("/reverse-redemption", redeemT), 409,
				"coupon-not-redeemed"));
		table.add(new Case("reverse: body over 4 KiB", post("/reverse-redemption", over4k), 413, "payload-too-large"));
		table.add(new Case("reverse: GET", get("/reverse-redemption"), 405, "method-not-allowed"));

		// GET /coupons/{code}/events
		table.add(new Case("events: malformed code", get("/coupons/ABC/events"), 400, "invalid-coupon-code"));
		table.add(new Case("events: look-alike letters", get("/coupons/" + percent(cyrillic(t)) + "/events"), 400,
				"invalid-coupon-code"));
		table.add(new Case("events: unknown code", get("/coupons/ZZZZZZZZ/events"), 404, "coupon-not-found"));
		table.add(new Case("events: POST", post("/coupons/" + t + "/events", "{}"), 405, "method-not-allowed"));

		// GET /coupons
		table.add(new Case("list: unknown status", get("/coupons?status=SPENT"), 400, "invalid-field"));
		table.add(new Case("list: negative limit", get("/coupons?limit=-1"), 400, "invalid-field"));
		table.add(new Case("list: limit beyond an int", get("/coupons?limit=99999999999"), 400, "invalid-field"));
		table.add(new Case("list: NUL as after", get("/coupons?after=%00"), 400, "invalid-field"));
		table.add(new Case("list: campaign with a space", get("/coupons?campaign=two%20words"), 400, "invalid-field"));
		table.add(new Case("list: Accept application/xml", get("/coupons", "Accept: application/xml"), 406,
				"not-acceptable"));
		table.add(new Case("list: POST", post("/coupons", "{}"), 405, "method-not-allowed"));

		return table;
	}

	private Response send(Case row) throws IOException {
		return RawHttp.send(CLIENT, this.port, row.request());
	}

	private void assertAnswer(Case row, Response response) {
		String name = row.name();
		assertThat(response.status()).as("%s: status", name).isEqualTo(row.status());
		assertThat(response.header("Content-Type")).as("%s: content type", name).startsWith("application/problem+json");
		assertThat(response.body()).as("%s: body", name).doesNotContainPattern(LEAK);
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.path("type").asString()).as("%s: type", name).isEqualTo("/problems/" + row.type());
		assertThat(problem.path("status").asInt()).as("%s: status property", name).isEqualTo(row.status());
		assertThat(problem.path("title").asString()).as("%s: title", name).isNotBlank();
		assertThat(problem.path("detail").asString()).as("%s: detail", name).isNotBlank();
	}

	private Response status(String code) throws IOException {
		return RawHttp.send(CLIENT, this.port, get("/coupon-status?code=" + code));
	}

	private String scrape() throws IOException {
		Response response = RawHttp.send(CLIENT, this.port, get("/actuator/prometheus"));
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	// Request builders: the head is ISO-8859-1 so each char is the byte sent.

	static byte[] post(String path, String json, String... headers) {
		return postBytes(path, "application/json", utf8(json), headers);
	}

	static byte[] postBytes(String path, String contentType, byte[] body, String... headers) {
		StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n");
		if (contentType != null) {
			head.append("Content-Type: ").append(contentType).append("\r\n");
		}
		head.append("Content-Length: ").append(body.length).append("\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		return concat(latin1(head.append("\r\n").toString()), body);
	}

	static byte[] request(String method, String target, String json) {
		byte[] body = utf8(json);
		return concat(
				latin1(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Content-Length: " + body.length + "\r\n\r\n"),
				body);
	}

	static byte[] get(String target, String... headers) {
		StringBuilder head = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		return latin1(head.append("\r\n").toString());
	}

	/** {@code json} as a chunked body in chunks of 1,000 bytes. */
	static byte[] chunked(String path, String json) {
		StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
		for (int at = 0; at < json.length(); at += 1000) {
			String chunk = json.substring(at, Math.min(json.length(), at + 1000));
			request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
		}
		return latin1(request.append("0\r\n\r\n").toString());
	}

	static String metadata(int entries) {
		StringBuilder json = new StringBuilder("{\"metadata\":{");
		for (int i = 0; i < entries; i++) {
			json.append((i > 0) ? "," : "").append("\"k").append(i).append("\":\"v\"");
		}
		return json.append("}}").toString();
	}

	static String fullwidth(String code) {
		StringBuilder result = new StringBuilder();
		code.chars().forEach((c) -> result.append((char) (c + 0xFEE0)));
		return result.toString();
	}

	static String cyrillic(String code) {
		StringBuilder result = new StringBuilder();
		for (char c : code.toCharArray()) {
			result.append(CYRILLIC.getOrDefault(c, c));
		}
		return result.toString();
	}

	static String percent(String text) {
		StringBuilder result = new StringBuilder();
		for (byte b : utf8(text)) {
			result.append('%').append(String.format("%02X", b & 0xFF));
		}
		return result.toString();
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] latin1(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] result = new byte[length];
		int at = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, result, at, part.length);
			at += part.length;
		}
		return result;
	}

	/** One row: a request as bytes, and the status and problem type it must get. */
	record Case(String name, byte[] request, int status, String type) {

		@Override
		public String toString() {
			return this.name;
		}

	}

}
