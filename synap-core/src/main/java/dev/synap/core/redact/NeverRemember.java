package dev.synap.core.redact;

import dev.synap.core.control.MemoryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts what an instance must never remember, before the text reaches the store (and so the
 * index, the history, compactions and pushed bundles, which are all derived from it): card
 * numbers (13-19 digits passing the Luhn check), secrets (API keys and tokens of well-known
 * shapes, private keys, values after "password:" / "api key =" ...), email addresses, the
 * operator's own regular expressions, and whole sentences that mention an out-of-scope topic.
 * A redaction leaves a marker ({@code [redacted card number]}) so the turn still reads as a turn.
 */
public final class NeverRemember {
  private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
  private static final List<Pattern> SECRETS = List.of(
      Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"),
      Pattern.compile("\\b(?:sk|pk|rk)[-_](?:live|test|proj)?[-_]?[A-Za-z0-9_-]{16,}"),
      Pattern.compile("\\bsk_admin_[0-9a-f]{16,}"),
      Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"),
      Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"),
      Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}"),
      Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"));
  /** A labelled secret: the label stays, the value goes. */
  private static final Pattern LABELLED = Pattern.compile(
      "(?i)\\b(password|passwd|passcode|pin|secret|api[ _-]?key|access[ _-]?token|token)(\\s*(?:is|:|=)\\s*)(\\S+)");
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+[.!?]*\\s*");

  private record Compiled(List<Pattern> custom, List<Pattern> topics) {}

  private static final Map<MemoryConfig.NeverRemember, Compiled> COMPILED = new ConcurrentHashMap<>();

  private NeverRemember() {}

  public static String redact(MemoryConfig.NeverRemember rules, String text) {
    if (text == null || text.isEmpty()) return text;
    String out = text;
    if (rules.secrets()) {
      for (Pattern p : SECRETS) out = p.matcher(out).replaceAll("[redacted secret]");
      out = LABELLED.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + "[redacted secret]"));
    }
    if (rules.cardNumbers()) out = CARD.matcher(out).replaceAll(m -> luhn(m.group()) ? "[redacted card number]" : Matcher.quoteReplacement(m.group()));
    if (rules.emails()) out = EMAIL.matcher(out).replaceAll("[redacted email]");
    Compiled c = compiled(rules);
    for (Pattern p : c.custom()) out = p.matcher(out).replaceAll("[redacted]");
    if (!c.topics().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      Matcher s = SENTENCE.matcher(out);
      int last = 0;
      while (s.find()) {
        sb.append(out, last, s.start());
        String sentence = s.group();
        boolean outOfScope = false;
        for (Pattern t : c.topics()) outOfScope |= t.matcher(sentence).find();
        sb.append(outOfScope ? "[redacted: out of scope] " : sentence);
        last = s.end();
      }
      sb.append(out.substring(last));
      out = sb.toString().stripTrailing();
      if (out.isEmpty()) out = "[redacted: out of scope]";
    }
    return out;
  }

  private static Compiled compiled(MemoryConfig.NeverRemember rules) {
    Compiled c = COMPILED.get(rules);
    if (c != null) return c;
    List<Pattern> custom = new ArrayList<>();
    for (String p : rules.patterns()) custom.add(Pattern.compile(p));
    List<Pattern> topics = new ArrayList<>();
    for (String t : rules.topics()) {
      topics.add(Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(t.toLowerCase(Locale.ROOT).strip()) + "(?![\\p{L}\\p{N}])",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }
    c = new Compiled(custom, topics);
    if (COMPILED.size() > 1_000) COMPILED.clear();
    COMPILED.put(rules, c);
    return c;
  }

  static boolean luhn(String candidate) {
    int sum = 0;
    boolean dbl = false;
    int digits = 0;
    for (int i = candidate.length() - 1; i >= 0; i--) {
      char ch = candidate.charAt(i);
      if (ch < '0' || ch > '9') continue;
      int d = ch - '0';
      digits++;
      if (dbl) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      dbl = !dbl;
    }
    return digits >= 13 && sum % 10 == 0;
  }
}
