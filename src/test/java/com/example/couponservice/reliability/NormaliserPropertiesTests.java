package com.example.couponservice.reliability;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.example.couponservice.coupon.CouponCode;
import com.example.couponservice.coupon.InvalidCouponCodeException;
import com.example.couponservice.web.JsonConfiguration;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Properties of the code normaliser, of the 40-bit packing, and of parsing a redeem body,
 * over thousands of generated inputs. Every property has a fixed seed, so a run is
 * reproducible; jqwik shrinks a failure to a small example and prints it.
 * <p>
 * The parsing property uses the JSON mapper the application builds: Boot's Jackson
 * auto-configuration with {@code web/JsonConfiguration} applied, read through the
 * controller's own {@code RedeemRequest} record (package-private, so by reflection).
 */
class NormaliserPropertiesTests {

	private static final String ALPHABET = CouponCode.ALPHABET;

	private static final String CANONICAL = "[" + ALPHABET + "]{8}";

	/**
	 * Characters a typed code may hold besides the alphabet: its ASCII lower case, space
	 * and dash.
	 */
	private static final String ALLOWED = ALPHABET + ALPHABET.toLowerCase(Locale.ROOT) + " -";

	/** Characters that look like or case-map to alphabet characters, or are invisible. */
	private static final Character[] LOOK_ALIKES = { '\u017F', '\u00DF', '\uFB00', '\uFB05', '\u0131', '\u0130',
			'\u212A', '\u0410', '\u0412', '\u0421', '\uFF21', '\uFF12', '\u200B', '\uFEFF', '\u00A0', '\u0000', '\t',
			'\n', 'i', 'o', 'l', '0', '1', 'I', 'O', '_', '.' };

	private static final JsonMapper APPLICATION_JSON = applicationJsonMapper();

	private static final JsonMapper PLAIN_JSON = JsonMapper.builder().build();

	private static final Class<?> REDEEM_REQUEST = redeemRequestType();

	@Property(seed = "20261126", tries = 3000)
	void normaliseGivesEightAlphabetCharactersOrThrowsInvalidCouponCode(@ForAll("anyInput") String raw) {
		try {
			assertThat(CouponCode.normalise(raw)).matches(CANONICAL);
		}
		catch (InvalidCouponCodeException ex) {
			// the only failure allowed; anything else fails the property
		}
	}

	@Property(seed = "20261126", tries = 2000)
	void normaliseIsIdempotent(@ForAll("anyInput") String raw) {
		String once;
		try {
			once = CouponCode.normalise(raw);
		}
		catch (InvalidCouponCodeException ex) {
			return;
		}
		assertThat(CouponCode.normalise(once)).isEqualTo(once);
	}

	@Property(seed = "20261126", tries = 2000)
	void caseSpacesAndDashesDoNotChangeTheCode(@ForAll("codes") String code, @ForAll("typedCodes") Typed typed) {
		String input = typed.apply(code);
		assertThat(CouponCode.normalise(input)).as("normalise(\"%s\")", input).isEqualTo(code);
	}

	/**
	 * A foreign character inserted into a code, or put in place of one or two of its
	 * characters (so that a look-alike which case-maps to one or two letters would still
	 * make eight), is rejected.
	 */
	@Property(seed = "20261126", tries = 3000)
	void anyCharacterOutsideAlphabetSpaceAndDashIsRejected(@ForAll("codes") String code,
			@ForAll("foreignCharacters") char foreign, @ForAll("interiorPositions") int position,
			@ForAll("replaced") int replaced) {
		String input = code.substring(0, position) + foreign
				+ code.substring(Math.min(code.length(), position + replaced));
		assertThatExceptionOfType(InvalidCouponCodeException.class)
			.as("normalise(\"%s\") with U+%04X", input, (int) foreign)
			.isThrownBy(() -> CouponCode.normalise(input));
	}

	@Property(seed = "20261126", tries = 2000)
	void packAndUnpackAreInverseOverTheWholeSpace(@ForAll("packed") long value) {
		String code = CouponCode.unpack(value);
		assertThat(code).matches(CANONICAL);
		assertThat(CouponCode.pack(code)).isEqualTo(value);
		assertThat(CouponCode.unpack(CouponCode.pack(code))).isEqualTo(code);
	}

	@Property(seed = "20261126", tries = 1000)
	void unpackRejectsNumbersOutsideFortyBits(@ForAll("notPacked") long value) {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> CouponCode.unpack(value));
	}

	@Property(seed = "20261126", tries = 3000)
	void aRedeemBodyParsesToARedeemRequestOrFailsWithAJacksonException(@ForAll("redeemBodies") String body)
			throws ReflectiveOperationException {
		// Both outcomes must be common, or the generator tests only one of them.
		Statistics.coverage((coverage) -> {
			coverage.check("parsed").percentage((percent) -> percent >= 2);
			coverage.check("rejected").percentage((percent) -> percent >= 50);
		});
		Object request;
		try {
			request = APPLICATION_JSON.readValue(body, REDEEM_REQUEST);
		}
		catch (JacksonException ex) {
			Statistics.collect("rejected");
			return; // answered 400 malformed-request; any other exception fails the
					// property
		}
		Statistics.collect("parsed");
		JsonNode tree = PLAIN_JSON.readTree(body);
		if (request == null) {
			assertThat(tree.isNull()).as("only a JSON null parses to no request: %s", body).isTrue();
			return;
		}
		assertThat(tree.isObject()).as("parsed as an object: %s", body).isTrue();
		assertThat(tree.propertyNames()).as("fields of %s", body).isSubsetOf("code", "reference");
		assertThat(component(request, "code")).as("code of %s", body).isEqualTo(textOrNull(tree.get("code")));
		assertThat(component(request, "reference")).as("reference of %s", body)
			.isEqualTo(textOrNull(tree.get("reference")));
	}

	@Provide
	Arbitrary<String> codes() {
		return packed().map(CouponCode::unpack);
	}

	@Provide
	Arbitrary<Long> packed() {
		return Arbitraries.longs().between(0, CouponCode.SPACE - 1);
	}

	@Provide
	Arbitrary<Long> notPacked() {
		return Arbitraries.oneOf(Arbitraries.longs().lessOrEqual(-1),
				Arbitraries.longs().greaterOrEqual(CouponCode.SPACE));
	}

	@Provide
	Arbitrary<Integer> interiorPositions() {
		return Arbitraries.integers().between(1, CouponCode.LENGTH - 1);
	}

	/** How many characters of the code a foreign character replaces: none, one or two. */
	@Provide
	Arbitrary<Integer> replaced() {
		return Arbitraries.integers().between(0, 2);
	}

	/** Any character a code may not hold, with look-alikes drawn often. */
	@Provide
	Arbitrary<Character> foreignCharacters() {
		return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.chars().all()), Tuple.of(2, Arbitraries.of(LOOK_ALIKES)))
			.filter((c) -> ALLOWED.indexOf(c) < 0);
	}

	/**
	 * How a person may type a code: any case, spaces and dashes between, blanks around.
	 */
	@Provide
	Arbitrary<Typed> typedCodes() {
		Arbitrary<String> separator = Arbitraries.of("", "", " ", "-", "--", " - ", "  ");
		Arbitrary<String> edge = Arbitraries.of("", " ", "\t", "\n", " \t ", "\u2003");
		return Combinators
			.combine(separator.list().ofSize(CouponCode.LENGTH - 1), Arbitraries.integers().between(0, 255), edge, edge)
			.as(Typed::new);
	}

	/** Random text, typed codes, and strings of the characters a code is typed with. */
	@Provide
	Arbitrary<String> anyInput() {
		return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(80),
				Arbitraries.strings().withChars(ALLOWED).ofMaxLength(24),
				Combinators.combine(codes(), typedCodes()).as((code, typed) -> typed.apply(code)),
				Combinators.combine(codes(), foreignCharacters(), Arbitraries.integers().between(0, 8))
					.as((code, c, at) -> code.substring(0, at) + c + code.substring(at)));
	}

	/**
	 * Random text, token soup, and JSON objects with right and wrong fields and types.
	 */
	@Provide
	Arbitrary<String> redeemBodies() {
		Arbitrary<String> tokens = Arbitraries
			.of("{", "}", "[", "]", ":", ",", "\"code\"", "\"reference\"", "\"refrence\"", "\"x\"", "null", "true",
					"false", "0", "-1", "1.5", "1e400", "99999999999999999999", "\"AB2C4XYZ\"", "\"\"", "\"\\u0000\"",
					"\"\\uD800\"", "\"\\x\"", "\"\u017F\"", " ", "\n", "\"", "\\", "/*", "*/", "NaN", "'a'", "\uFEFF",
					"\u0000")
			.list()
			.ofMaxSize(24)
			.map((list) -> String.join("", list));
		return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60), tokens, jsonObjects(),
				Combinators.combine(jsonObjects(), tokens).as((object, tail) -> object + tail));
	}

	private Arbitrary<String> jsonObjects() {
		Arbitrary<String> key = Arbitraries.of("code", "reference", "code", "reference", "refrence", "Code", "", "x");
		Arbitrary<String> member = Combinators.combine(key, jsonValues(2))
			.as((name, value) -> "\"" + name + "\":" + value);
		return member.list().ofMaxSize(4).map((members) -> "{" + String.join(",", members) + "}");
	}

	private Arbitrary<String> jsonValues(int depth) {
		Arbitrary<String> strings = Arbitraries.oneOf(codes(), Arbitraries.strings().all().ofMaxLength(12))
			.map(NormaliserPropertiesTests::jsonString);
		Arbitrary<String> scalars = Arbitraries.oneOf(strings, strings, Arbitraries.of("null", "true", "false", "0",
				"-7", "3.25", "1e400", "-1e400", "99999999999999999999", "12345678"));
		if (depth == 0) {
			return scalars;
		}
		Arbitrary<String> arrays = jsonValues(depth - 1).list()
			.ofMaxSize(3)
			.map((values) -> "[" + String.join(",", values) + "]");
		Arbitrary<String> objects = jsonValues(depth - 1).list().ofMaxSize(3).map((values) -> {
			StringBuilder object = new StringBuilder("{");
			for (int i = 0; i < values.size(); i++) {
				object.append((i > 0) ? "," : "").append("\"k").append(i).append("\":").append(values.get(i));
			}
			return object.append('}').toString();
		});
		return Arbitraries.frequencyOf(Tuple.of(6, scalars), Tuple.of(1, arrays), Tuple.of(1, objects));
	}

	private static String jsonString(String text) {
		StringBuilder json = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\' || c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

	private static String textOrNull(JsonNode node) {
		return (node == null || node.isNull()) ? null : node.asString();
	}

	private static Object component(Object record, String name) throws ReflectiveOperationException {
		for (RecordComponent component : record.getClass().getRecordComponents()) {
			if (component.getName().equals(name)) {
				Method accessor = component.getAccessor();
				accessor.setAccessible(true);
				return accessor.invoke(record);
			}
		}
		throw new AssertionError("RedeemRequest has no component " + name);
	}

	private static JsonMapper applicationJsonMapper() {
		AtomicReference<JsonMapper> mapper = new AtomicReference<>();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.withUserConfiguration(JsonConfiguration.class)
			.run((context) -> mapper.set(context.getBean(JsonMapper.class)));
		return mapper.get();
	}

	private static Class<?> redeemRequestType() {
		try {
			Class<?> type = Class.forName("com.example.couponservice.coupon.web.RedeemRequest");
			assertThat(type.getRecordComponents()).extracting(RecordComponent::getName)
				.containsExactly("code", "reference", "customerId");
			return type;
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A way of typing a code: a separator after each of its first seven characters, a bit
	 * mask of the characters typed in lower case, and blanks before and after.
	 */
	record Typed(List<String> separators, int lowerCaseMask, String before, String after) {

		String apply(String code) {
			StringBuilder typed = new StringBuilder(this.before);
			for (int i = 0; i < code.length(); i++) {
				char c = code.charAt(i);
				typed.append(((this.lowerCaseMask >> i) & 1) == 1 ? Character.toLowerCase(c) : c);
				if (i < this.separators.size()) {
					typed.append(this.separators.get(i));
				}
			}
			return typed.append(this.after).toString();
		}

	}

}
