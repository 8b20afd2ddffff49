package dev.synap.core.control;

import dev.synap.core.InvalidInputException;
import dev.synap.core.model.MemoryType;
import dev.synap.core.tenant.RelationshipMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a use-case brief (Markdown with the sections Objective, Target users, Task examples,
 * Behavioural guidelines, Out of scope) into a memory configuration by rules, without an LLM:
 * B2B or B2C from the target users, categories from the task examples, never-remember rules from
 * the out-of-scope section, retrieval and anticipation hints from the guidelines. What the rules
 * decided, and on which words, comes back as review flags so a reviewer sees why.
 */
public final class BriefRules {
  public static final int MAX_BYTES = 512 * 1024;

  /** The configuration, the isolation the target users suggest, and why. */
  public record Result(MemoryConfig config, RelationshipMode isolation, List<ReviewFlag> flags, Map<String, String> sections) {}

  private static final Pattern B2B = Pattern.compile(
      "\\b(b2b|business(es)?|compan(y|ies)|enterprises?|organi[sz]ations?|teams?|employees?|accounts?|tenants?|agencies|firms?|clinics|stores|merchants)\\b");
  private static final Map<MemoryType, Pattern> CATEGORY_CUES = Map.of(
      MemoryType.PREFERENCE, Pattern.compile("\\b(prefer\\w*|likes?|dislikes?|favou?rite\\w*|recommend\\w*|taste|choice|wants?)\\b"),
      MemoryType.EPISODE, Pattern.compile("\\b(last \\w+|previous(ly)?|history|happened|yesterday|visit(ed)?|past|earlier|follow[- ]?up|order(ed)?|trips?|went|how did)\\b"),
      MemoryType.EMOTION, Pattern.compile("\\b(feel\\w*|mood|frustrat\\w*|upset|stress\\w*|anxi\\w*|emotion\\w*|happy|sad|angry|empath\\w*)\\b"),
      MemoryType.TEMPORAL_EVENT, Pattern.compile(
          "\\b(schedul\\w*|appointments?|deadlines?|remind\\w*|tomorrow|next (week|month)|bookings?|book|calendar|dates?|due|renewal)\\b"));
  private static final Pattern CARD = Pattern.compile("\\b(card|payment|credit|debit|billing)\\b");
  private static final Pattern SECRET = Pattern.compile("\\b(passwords?|credentials?|secrets?|api keys?|tokens?|logins?)\\b");
  private static final Pattern EMAIL = Pattern.compile("\\b(e-?mails?|email addresses)\\b");
  private static final Pattern LEAD = Pattern.compile(
      "^(?i)(do not|don't|never|no|avoid|not|refuse to|we do not|must not|should not)\\s+(discuss(ing)?|talk(ing)? about|handle|give|offer|provide|store|remember|keep|answer|cover)?\\s*");

  private BriefRules() {}

  public static Result generate(String markdown) {
    if (markdown == null || markdown.isBlank()) throw new InvalidInputException("brief is empty");
    if (markdown.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) throw new InvalidInputException("brief is larger than 512 KB");
    Map<String, String> sections = sections(markdown);
    List<ReviewFlag> flags = new ArrayList<>();
    for (String s : List.of("objective", "target users", "task examples", "behavioural guidelines", "out of scope")) {
      if (!sections.containsKey(s)) flags.add(ReviewFlag.warning("brief." + s.replace(' ', '_'), "section '" + s + "' is missing; its rules used defaults"));
    }
    String users = sections.getOrDefault("target users", "").toLowerCase(Locale.ROOT);
    var b2b = B2B.matcher(users);
    RelationshipMode isolation = b2b.find() ? RelationshipMode.B2B : RelationshipMode.B2C;
    flags.add(ReviewFlag.info("user_context_isolation", isolation == RelationshipMode.B2B
        ? "target users name organisations ('" + b2b.group() + "'): b2b" : "target users are individuals: b2c"));

    String tasks = sections.getOrDefault("task examples", "").toLowerCase(Locale.ROOT);
    Set<MemoryType> categories = EnumSet.of(MemoryType.FACT);
    if (tasks.isBlank()) categories = EnumSet.allOf(MemoryType.class);
    else {
      for (var e : CATEGORY_CUES.entrySet()) {
        var m = e.getValue().matcher(tasks);
        if (m.find()) {
          categories.add(e.getKey());
          flags.add(ReviewFlag.info("categories." + e.getKey().wireKey(), "on: task examples mention '" + m.group() + "'"));
        } else {
          flags.add(ReviewFlag.info("categories." + e.getKey().wireKey(), "off: no task example needs it"));
        }
      }
    }

    boolean card = true;
    boolean secrets = true;
    boolean emails = false;
    List<String> topics = new ArrayList<>();
    for (String line : bullets(sections.getOrDefault("out of scope", ""))) {
      String lower = line.toLowerCase(Locale.ROOT);
      boolean builtIn = false;
      if (CARD.matcher(lower).find()) builtIn = true;
      if (SECRET.matcher(lower).find()) builtIn = true;
      if (EMAIL.matcher(lower).find()) {
        emails = true;
        builtIn = true;
        flags.add(ReviewFlag.info("never_remember.emails", "on: out of scope names email addresses"));
      }
      if (!builtIn) {
        for (String topic : topics(line)) {
          topics.add(topic);
          flags.add(ReviewFlag.warning("never_remember.topics", "sentences mentioning '" + topic + "' are redacted before storage"));
        }
      }
    }

    String guide = sections.getOrDefault("behavioural guidelines", "").toLowerCase(Locale.ROOT);
    MemoryConfig.Retrieval retrieval = MemoryConfig.DEFAULT.retrieval();
    if (guide.matches("(?s).*\\b(thorough|detailed|accurate|precise)\\b.*")) {
      retrieval = new MemoryConfig.Retrieval("accurate", retrieval.contextBudgetTokens());
      flags.add(ReviewFlag.info("retrieval.default_mode", "accurate: the guidelines ask for thorough answers"));
    }
    if (guide.matches("(?s).*\\b(concise|brief|short)\\b.*")) {
      retrieval = new MemoryConfig.Retrieval(retrieval.defaultMode(), 2000);
      flags.add(ReviewFlag.info("retrieval.context_budget_tokens", "2000: the guidelines ask for concise answers"));
    }
    MemoryConfig.Anticipation anticipation = MemoryConfig.DEFAULT.anticipation();
    if (guide.matches("(?s).*\\b(never (anticipate|suggest)|only answer what)\\b.*")) {
      anticipation = new MemoryConfig.Anticipation(false, anticipation.maxItems(), anticipation.maxTokens());
      flags.add(ReviewFlag.info("anticipation.enabled", "off: the guidelines ask to answer only what is asked"));
    }
    MemoryConfig config = new MemoryConfig(categories, MemoryConfig.DEFAULT.confidenceThreshold(), MemoryConfig.DEFAULT.maxMemoryAgeDays(),
        new MemoryConfig.NeverRemember(card, secrets, emails, List.of(), List.copyOf(new LinkedHashSet<>(topics))), MemoryConfig.DEFAULT.compaction(),
        retrieval, anticipation);
    List<ReviewFlag> all = new ArrayList<>(flags);
    all.addAll(ConfigReview.flags(config));
    return new Result(config, isolation, all, sections);
  }

  /** Sections by lower-cased heading ("Behavioral" spelled either way). */
  static Map<String, String> sections(String markdown) {
    Map<String, String> out = new LinkedHashMap<>();
    String current = null;
    StringBuilder body = new StringBuilder();
    for (String line : markdown.split("\\R")) {
      String t = line.strip();
      if (t.startsWith("#")) {
        if (current != null) out.put(current, body.toString().strip());
        current = t.replaceFirst("^#+", "").strip().toLowerCase(Locale.ROOT).replace("behavioral", "behavioural").replaceAll("[:.]$", "");
        body.setLength(0);
      } else if (current != null) {
        body.append(line).append('\n');
      }
    }
    if (current != null) out.put(current, body.toString().strip());
    return out;
  }

  /** Bullet items, or sentences when the section has no bullets. */
  static List<String> bullets(String section) {
    List<String> out = new ArrayList<>();
    for (String line : section.split("\\R")) {
      String t = line.strip();
      if (t.matches("^([-*+]|\\d+[.)])\\s+.*")) out.add(t.replaceFirst("^([-*+]|\\d+[.)])\\s+", "").strip());
    }
    if (out.isEmpty()) for (String s : section.split("(?<=[.!?;])\\s+")) if (!s.isBlank()) out.add(s.strip());
    return out;
  }

  /** The subjects of an out-of-scope line: "Do not discuss politics or elections." gives "politics" and "elections" (at most four words each). */
  static List<String> topics(String line) {
    String t = LEAD.matcher(line.strip()).replaceFirst("").replaceAll("[.!;:]+$", "").strip().toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    for (String alt : t.split("\\s+(?:or|and)\\s+|,\\s*")) {
      String a = alt.strip().replaceFirst("^(any|the|a|an)\\s+", "");
      if (a.isBlank()) continue;
      String[] words = a.split("\\s+");
      out.add(words.length > 4 ? String.join(" ", java.util.Arrays.copyOf(words, 4)) : a);
    }
    return out;
  }
}
