package dev.synap.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.synap.core.InvalidInputException;
import dev.synap.core.model.MemoryType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One instance's memory architecture: which categories are extracted, the confidence below which
 * an extraction is not stored, retention, what must never be remembered, compaction thresholds,
 * the default retrieval mode and context budget, and anticipation. Parsed from JSON or YAML with
 * every field optional (absent = default) and every unknown field refused, so a typo never
 * silently leaves a default in force. {@link #toJson} is the canonical form kept per version.
 */
public record MemoryConfig(
    Set<MemoryType> categories,
    double confidenceThreshold,
    int maxMemoryAgeDays,
    NeverRemember neverRemember,
    Compaction compaction,
    Retrieval retrieval,
    Anticipation anticipation) {

  /** Built-in detectors plus the operator's own regular expressions and out-of-scope topics. */
  public record NeverRemember(boolean cardNumbers, boolean secrets, boolean emails, List<String> patterns, List<String> topics) {
    public NeverRemember {
      patterns = List.copyOf(patterns);
      topics = List.copyOf(topics);
    }
  }

  public record Compaction(boolean auto, int autoTurns, int autoTokens) {}

  public record Retrieval(String defaultMode, int contextBudgetTokens) {}

  public record Anticipation(boolean enabled, int maxItems, int maxTokens) {}

  public static final MemoryConfig DEFAULT = new MemoryConfig(EnumSet.allOf(MemoryType.class), 0.7, 365,
      new NeverRemember(true, true, false, List.of(), List.of()), new Compaction(true, 50, 4000), new Retrieval("fast", 4096),
      new Anticipation(true, 10, 4096));

  /**
   * What an instance runs before any configuration was applied to it: the defaults, except that
   * every extraction is kept and nothing ages out. The offline extractor rates a plain statement
   * 0.6, so the 0.7 default would silently drop much of what existing instances remember, and
   * imported history (say, a year-old transcript) would be deleted within the hour; an applied
   * configuration brings both defaults (0.7 and 365 days) unless it says otherwise.
   */
  public static final MemoryConfig UNCONFIGURED = new MemoryConfig(DEFAULT.categories, 0.0, 0, DEFAULT.neverRemember,
      DEFAULT.compaction, DEFAULT.retrieval, DEFAULT.anticipation);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  public static final int MAX_TEXT_BYTES = 256 * 1024;

  public MemoryConfig {
    categories = categories.isEmpty() ? EnumSet.noneOf(MemoryType.class) : EnumSet.copyOf(categories);
  }

  public boolean extracts(MemoryType type) {
    return categories.contains(type);
  }

  /** Parses JSON, or YAML when the text is not a JSON object; fields left out keep their defaults. */
  public static MemoryConfig parse(String text) {
    if (text == null || text.isBlank()) throw new InvalidInputException("configuration is empty");
    if (text.length() > MAX_TEXT_BYTES) throw new InvalidInputException("configuration is larger than 256 KB");
    JsonNode n;
    try {
      n = text.strip().startsWith("{") ? JSON.readTree(text) : YAML.readTree(text);
    } catch (Exception e) {
      throw new InvalidInputException("configuration is neither a JSON object nor YAML: " + firstLine(e.getMessage()));
    }
    return fromNode(n);
  }

  public static MemoryConfig fromNode(JsonNode n) {
    if (n == null || !n.isObject()) throw new InvalidInputException("configuration must be an object");
    Reader r = new Reader(n, "");
    Set<MemoryType> categories = EnumSet.allOf(MemoryType.class);
    Reader cats = r.object("categories");
    if (cats != null) {
      for (MemoryType t : MemoryType.values()) if (!cats.bool(t.wireKey(), true)) categories.remove(t);
      cats.done();
    }
    double threshold = r.number("confidence_threshold", DEFAULT.confidenceThreshold, 0, 1);
    int age = DEFAULT.maxMemoryAgeDays;
    Reader ret = r.object("retention");
    if (ret != null) {
      age = (int) ret.number("max_memory_age_days", age, 0, 36_500);
      ret.done();
    }
    NeverRemember nr = DEFAULT.neverRemember;
    Reader never = r.object("never_remember");
    if (never != null) {
      List<String> patterns = never.strings("patterns");
      for (String p : patterns) {
        try {
          Pattern.compile(p);
        } catch (PatternSyntaxException e) {
          throw new InvalidInputException("never_remember.patterns: '" + p + "' is not a regular expression: " + e.getDescription());
        }
      }
      nr = new NeverRemember(never.bool("card_numbers", nr.cardNumbers()), never.bool("secrets", nr.secrets()), never.bool("emails", nr.emails()),
          patterns, never.strings("topics"));
      never.done();
    }
    Compaction comp = DEFAULT.compaction;
    Reader c = r.object("compaction");
    if (c != null) {
      comp = new Compaction(c.bool("auto", comp.auto()), (int) c.number("auto_turns", comp.autoTurns(), 2, 100_000),
          (int) c.number("auto_tokens", comp.autoTokens(), 100, 10_000_000));
      c.done();
    }
    Retrieval retr = DEFAULT.retrieval;
    Reader rv = r.object("retrieval");
    if (rv != null) {
      String mode = rv.text("default_mode", retr.defaultMode());
      if (!mode.equals("fast") && !mode.equals("accurate")) throw new InvalidInputException("retrieval.default_mode must be fast or accurate");
      retr = new Retrieval(mode, (int) rv.number("context_budget_tokens", retr.contextBudgetTokens(), 1, 1_000_000));
      rv.done();
    }
    Anticipation ant = DEFAULT.anticipation;
    Reader a = r.object("anticipation");
    if (a != null) {
      ant = new Anticipation(a.bool("enabled", ant.enabled()), (int) a.number("max_items", ant.maxItems(), 1, 50),
          (int) a.number("max_tokens", ant.maxTokens(), 1, 1_000_000));
      a.done();
    }
    r.done();
    return new MemoryConfig(categories, threshold, age, nr, comp, retr, ant);
  }

  /** The canonical JSON form (every field present). */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode cats = o.putObject("categories");
    for (MemoryType t : MemoryType.values()) cats.put(t.wireKey(), categories.contains(t));
    o.put("confidence_threshold", confidenceThreshold);
    o.putObject("retention").put("max_memory_age_days", maxMemoryAgeDays);
    ObjectNode n = o.putObject("never_remember");
    n.put("card_numbers", neverRemember.cardNumbers()).put("secrets", neverRemember.secrets()).put("emails", neverRemember.emails());
    neverRemember.patterns().forEach(n.putArray("patterns")::add);
    neverRemember.topics().forEach(n.putArray("topics")::add);
    o.putObject("compaction").put("auto", compaction.auto()).put("auto_turns", compaction.autoTurns()).put("auto_tokens", compaction.autoTokens());
    o.putObject("retrieval").put("default_mode", retrieval.defaultMode()).put("context_budget_tokens", retrieval.contextBudgetTokens());
    o.putObject("anticipation").put("enabled", anticipation.enabled()).put("max_items", anticipation.maxItems())
        .put("max_tokens", anticipation.maxTokens());
    return o;
  }

  /** Field-by-field differences from {@code other}: path to {before, after}. */
  public Map<String, List<JsonNode>> diff(MemoryConfig other) {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    diff("", other.toJson(), toJson(), out);
    return out;
  }

  private static void diff(String path, JsonNode before, JsonNode after, Map<String, List<JsonNode>> out) {
    if (before.isObject() && after.isObject()) {
      for (Iterator<String> it = after.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        diff(path.isEmpty() ? f : path + "." + f, before.path(f), after.get(f), out);
      }
    } else if (!before.equals(after)) {
      List<JsonNode> pair = new ArrayList<>();
      pair.add(before);
      pair.add(after);
      out.put(path, pair);
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Reads one object's fields, remembering which it saw so that {@link #done} can refuse the others. */
  private static final class Reader {
    private final JsonNode node;
    private final String path;
    private final Set<String> seen = new java.util.HashSet<>();

    Reader(JsonNode node, String path) {
      this.node = node;
      this.path = path;
    }

    private JsonNode get(String f) {
      seen.add(f);
      JsonNode v = node.get(f);
      return v == null || v.isNull() ? null : v;
    }

    Reader object(String f) {
      JsonNode v = get(f);
      if (v == null) return null;
      if (!v.isObject()) throw new InvalidInputException(path + f + " must be an object");
      return new Reader(v, path + f + ".");
    }

    boolean bool(String f, boolean fallback) {
      JsonNode v = get(f);
      if (v == null) return fallback;
      if (!v.isBoolean()) throw new InvalidInputException(path + f + " must be true or false");
      return v.booleanValue();
    }

    double number(String f, double fallback, double min, double max) {
      JsonNode v = get(f);
      if (v == null) return fallback;
      if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
        throw new InvalidInputException(path + f + " must be a number from " + fmt(min) + " to " + fmt(max));
      }
      return v.doubleValue();
    }

    String text(String f, String fallback) {
      JsonNode v = get(f);
      if (v == null) return fallback;
      if (!v.isTextual()) throw new InvalidInputException(path + f + " must be a string");
      return v.asText();
    }

    List<String> strings(String f) {
      JsonNode v = get(f);
      if (v == null) return List.of();
      if (!v.isArray() || v.size() > 500) throw new InvalidInputException(path + f + " must be an array of at most 500 strings");
      List<String> out = new ArrayList<>();
      for (JsonNode e : v) {
        if (!e.isTextual() || e.asText().isBlank() || e.asText().length() > 500) {
          throw new InvalidInputException(path + f + " must contain non-empty strings of at most 500 characters");
        }
        out.add(e.asText());
      }
      return out;
    }

    void done() {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!seen.contains(f)) throw new InvalidInputException("unknown configuration field '" + path + f + "'");
      }
    }

    private static String fmt(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }
}
