package dev.synap.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * An endpoint taking a JSON object body, described by a valid body and its fields; it generates
 * bodies that are broken as a whole (not JSON, not an object, trailing garbage, too deep) or in
 * exactly one field (missing when required, or a value {@link BadJson} says is wrong).
 */
record JsonEndpoint(String method, String path, Supplier<ObjectNode> validBody, List<Field> fields) {

  record Field(String name, boolean required, Arbitrary<JsonNode> bad) {}

  static Field required(String name, Arbitrary<JsonNode> bad) {
    return new Field(name, true, bad);
  }

  static Field optional(String name, Arbitrary<JsonNode> bad) {
    return new Field(name, false, bad);
  }

  Arbitrary<BadRequest> malformed() {
    return Arbitraries.oneOf(wholeBody(), oneField().map(b -> BadRequest.json(method, path, BadJson.write(b.body), b.what)));
  }

  /** A body with one field broken, before serialisation (batch endpoints wrap it). */
  record Broken(ObjectNode body, String what) {}

  Arbitrary<Broken> oneField() {
    return Arbitraries.of(fields).flatMap(f -> {
      Arbitrary<Broken> bad = f.bad().map(v -> {
        ObjectNode b = validBody.get();
        b.set(f.name(), v);
        return new Broken(b, f.name() + " = " + abbreviate(BadJson.write(v)));
      });
      if (!f.required()) return bad;
      Arbitrary<Broken> missing = Arbitraries.of(false, true).map(asNull -> {
        ObjectNode b = validBody.get();
        if (asNull) b.putNull(f.name());
        else b.remove(f.name());
        return new Broken(b, f.name() + (asNull ? " null" : " missing"));
      });
      return Arbitraries.oneOf(bad, missing);
    });
  }

  private Arbitrary<BadRequest> wholeBody() {
    Arbitrary<String> body = Arbitraries.oneOf(
        Arbitraries.of("", "   ", "\n"),
        Arbitraries.of("1", "\"text\"", "null", "true", "[]", "[{}]"),
        BadJson.letters(1, 40).map(s -> "x" + s),
        Arbitraries.integers().between(1, 10_000).map(cut -> {
          String valid = BadJson.write(validBody.get());
          return valid.substring(0, 1 + cut % (valid.length() - 1));
        }),
        Arbitraries.of(" x", "}", "{}", "[]", " 1", ",", "]").map(tail -> BadJson.write(validBody.get()) + tail),
        Arbitraries.just(0).map(i -> "[" + BadJson.write(validBody.get()) + "]"),
        Arbitraries.integers().between(1001, 3000).map(n -> "[".repeat(n) + "]".repeat(n)),
        Arbitraries.integers().between(1001, 3000).map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)));
    return body.map(b -> BadRequest.json(method, path, b, "whole body"));
  }

  static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + ")" : s;
  }
}
