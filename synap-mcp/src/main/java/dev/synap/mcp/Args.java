package dev.synap.mcp;

import java.util.List;
import java.util.Map;

/** A tool call's arguments, read with the checks a model's input needs; a bad one is a {@link BadArgument}. */
final class Args {
  private final Map<String, Object> values;

  Args(Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  String required(String name) {
    String v = optional(name);
    if (v == null || v.isBlank()) throw new BadArgument("missing required argument '" + name + "'");
    return v;
  }

  String optional(String name) {
    Object v = values.get(name);
    if (v == null) return null;
    if (!(v instanceof String s)) throw new BadArgument("argument '" + name + "' must be a string");
    return s.isBlank() ? null : s;
  }

  int integer(String name, int fallback, int min, int max) {
    Object v = values.get(name);
    if (v == null) return fallback;
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new BadArgument("argument '" + name + "' must be an integer");
    }
    long x = n.longValue();
    if (x < min || x > max) throw new BadArgument("argument '" + name + "' must be between " + min + " and " + max + ", got " + x);
    return (int) x;
  }

  String oneOf(String name, String fallback, List<String> allowed) {
    String v = optional(name);
    if (v == null) return fallback;
    if (!allowed.contains(v)) throw new BadArgument("argument '" + name + "' must be one of " + allowed + ", got '" + v + "'");
    return v;
  }

  /** An argument the model got wrong: answered as a tool error naming it, never a protocol failure. */
  static final class BadArgument extends RuntimeException {
    BadArgument(String message) {
      super(message);
    }
  }
}
