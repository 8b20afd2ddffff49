package dev.synap.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generators of JSON values that a field of a given kind must refuse. Every value here is wrong
 * whatever the rest of the request says, so a request carrying one must be refused.
 */
final class BadJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  private BadJson() {}

  /** Characters an id may not contain (ids are letters, digits and _.:@+-). */
  private static final List<String> FORBIDDEN_IN_IDS = List.of(" ", "/", "#", "?", "%", "\u0000", "\n", "\t", "<", "\"", ",", "\u200b",
      "\uD83D\uDE00", "*", "\\", ";", "=");

  static Arbitrary<String> letters(int min, int max) {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(min).ofMaxLength(max);
  }

  /** Any JSON value that is not a string (null excluded: it means "absent"). */
  static Arbitrary<JsonNode> notAString() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i)),
        Arbitraries.doubles().between(-1e6, 1e6).map(d -> (JsonNode) F.numberNode(d)),
        Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
        letters(0, 5).map(s -> (JsonNode) F.objectNode().put("k", s)),
        letters(0, 5).map(s -> (JsonNode) F.arrayNode().add(s)));
  }

  static Arbitrary<JsonNode> notAnObject() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i)),
        Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
        letters(0, 8).map(s -> (JsonNode) F.textNode(s)),
        letters(0, 5).map(s -> (JsonNode) F.arrayNode().add(s)));
  }

  static Arbitrary<JsonNode> text(Arbitrary<String> s) {
    return s.map(F::textNode);
  }

  /** Not blank and longer than {@code max}. */
  static Arbitrary<JsonNode> tooLong(int max) {
    return Arbitraries.oneOf(text(letters(max + 1, max + 300)), notAString());
  }

  static Arbitrary<JsonNode> blankOrTooLong(int max) {
    return Arbitraries.oneOf(tooLong(max), Arbitraries.of("", " ", "\n\t ").map(F::textNode));
  }

  static Arbitrary<JsonNode> notUuid() {
    Arbitrary<String> s = Arbitraries.oneOf(
        letters(1, 40),
        Arbitraries.create(() -> UUID.randomUUID().toString().replace("-", "")),
        Arbitraries.create(() -> UUID.randomUUID() + "0"),
        Arbitraries.create(() -> "{" + UUID.randomUUID() + "}"),
        Arbitraries.create(() -> UUID.randomUUID().toString().substring(1)),
        Arbitraries.integers().between(0, 99999).map(Object::toString));
    return Arbitraries.oneOf(text(s), notAString());
  }

  static Arbitrary<String> badIdText() {
    return Arbitraries.oneOf(
        net.jqwik.api.Combinators.combine(letters(1, 6), Arbitraries.of(FORBIDDEN_IN_IDS), letters(1, 6)).as((a, bad, b) -> a + bad + b),
        letters(257, 400));
  }

  static Arbitrary<JsonNode> badId() {
    return Arbitraries.oneOf(text(badIdText()), notAString());
  }

  /** A string none of {@code allowed} (no enum value starts with x), or not a string at all. */
  static Arbitrary<JsonNode> badEnum(Set<String> allowed) {
    Arbitrary<String> s = Arbitraries.oneOf(letters(1, 12).map(x -> "x" + x), Arbitraries.of("ALL!", "user ", "nul", "fast-", "b2x"))
        .filter(v -> !allowed.contains(v));
    return Arbitraries.oneOf(text(s), notAString());
  }

  /** Outside [min, max], fractional, a numeric string, or not a number. */
  static Arbitrary<JsonNode> badInt(int min, int max) {
    return Arbitraries.oneOf(
        Arbitraries.integers().lessOrEqual(min - 1).map(i -> (JsonNode) F.numberNode(i)),
        max == Integer.MAX_VALUE ? Arbitraries.just((JsonNode) F.numberNode(1e20))
            : Arbitraries.integers().greaterOrEqual(max + 1).map(i -> (JsonNode) F.numberNode(i)),
        Arbitraries.just((JsonNode) F.numberNode(1.5)),
        Arbitraries.just((JsonNode) F.numberNode(new java.math.BigInteger("123456789012345678901234567890"))),
        Arbitraries.integers().between(min, Math.min(max, min + 100)).map(i -> (JsonNode) F.textNode(Integer.toString(i))),
        Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
        Arbitraries.just((JsonNode) F.objectNode()));
  }

  static Arbitrary<JsonNode> badBool() {
    return Arbitraries.oneOf(Arbitraries.of("true", "yes", "1", "").map(s -> (JsonNode) F.textNode(s)),
        Arbitraries.integers().between(0, 1).map(i -> (JsonNode) F.numberNode(i)), Arbitraries.just((JsonNode) F.arrayNode()));
  }

  static Arbitrary<JsonNode> badTime() {
    Arbitrary<String> s = Arbitraries.of("yesterday", "2024-13-45T00:00:00Z", "2024-02-30T10:00:00Z", "not a time", "12:00",
        "+100000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "2024-01-01T25:00:00Z", "2024/01/01");
    return Arbitraries.oneOf(text(s), notAString());
  }

  /** Not an object, too many entries, bad keys, values too long, or nested too deep. */
  static Arbitrary<JsonNode> badMetadata() {
    return Arbitraries.oneOf(
        notAnObject(),
        Arbitraries.integers().between(65, 120).map(n -> {
          ObjectNode o = F.objectNode();
          for (int i = 0; i < n; i++) o.put("k" + i, "v");
          return (JsonNode) o;
        }),
        letters(129, 200).map(k -> (JsonNode) F.objectNode().put(k, "v")),
        Arbitraries.just((JsonNode) F.objectNode().put("", "v")),
        letters(4097, 5000).map(v -> (JsonNode) F.objectNode().put("k", v)),
        Arbitraries.integers().between(9, 300).map(BadJson::nested));
  }

  /** {@code {"k": {"k": ... "v" }}} with {@code depth} objects. */
  static JsonNode nested(int depth) {
    JsonNode inner = F.textNode("v");
    for (int i = 0; i < depth; i++) inner = F.objectNode().set("k", inner);
    return inner;
  }

  /** search_query: a string or up to 16 strings of at most 4096 characters. */
  static Arbitrary<JsonNode> badQueries() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i)),
        Arbitraries.just((JsonNode) F.objectNode()),
        Arbitraries.integers().map(i -> (JsonNode) F.arrayNode().add("ok").add(i)),
        Arbitraries.integers().between(17, 40).map(n -> {
          ArrayNode a = F.arrayNode();
          for (int i = 0; i < n; i++) a.add("q" + i);
          return (JsonNode) a;
        }),
        letters(4097, 4500).map(q -> (JsonNode) F.arrayNode().add(q)));
  }

  static Arbitrary<JsonNode> badTypes() {
    return Arbitraries.oneOf(
        letters(1, 8).map(t -> (JsonNode) F.arrayNode().add("x" + t)),
        letters(1, 8).map(t -> (JsonNode) F.textNode("x" + t)),
        Arbitraries.just((JsonNode) F.arrayNode().add(1)),
        Arbitraries.just((JsonNode) F.objectNode()));
  }

  static String write(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
