package dev.synap.core.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Cuts a document into chunks that each make sense alone, so that every chunk can be extracted
 * and retrieved on its own.
 *
 * <ul>
 *   <li>Plain text: paragraphs, packed up to {@link #TARGET_CHARS}; an over-long paragraph is cut
 *       at sentence ends.
 *   <li>Markdown: sections by heading; each chunk is prefixed with its heading path ("Setup >
 *       Linux: ...") because a paragraph without its heading often loses its subject.
 *   <li>JSON: flattened to {@code path: value} lines, then packed like text.
 * </ul>
 *
 * <p>Bounded output: every chunk becomes a queued message, so what one document may expand to is
 * capped. Text never grows (packing only drops characters: a sentence over twice
 * {@link #TARGET_CHARS} is cut). The heading path repeated before each Markdown chunk is cut to
 * its last {@link #MAX_HEADING_CHARS} characters. JSON is the one format that grows, as the key
 * path is written before every value: a document whose flattened form would exceed
 * {@link #MAX_OUTPUT_CHARS} is refused ({@link InvalidInputException}) as soon as the flattening
 * passes that size, before the rest of it is built.
 */
public final class DocumentChunker {
  static final int TARGET_CHARS = 1_200;
  /** Most characters the chunks of one document may add up to (about 1,700 chunks). */
  public static final int MAX_OUTPUT_CHARS = 2_000_000;
  /** Most characters of heading path written before each Markdown chunk; the innermost part is kept. */
  static final int MAX_HEADING_CHARS = 200;
  private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n\\s*\\n");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private DocumentChunker() {}

  public enum Format { TEXT, MARKDOWN, JSON }

  /** Guesses the format from the declared type and the text itself. */
  public static Format detect(String documentType, String text) {
    String t = documentType == null ? "" : documentType.toLowerCase(Locale.ROOT);
    String s = text.strip();
    if (t.contains("json") || ((s.startsWith("{") && s.endsWith("}")) || (s.startsWith("[") && s.endsWith("]"))) && parses(s)) return Format.JSON;
    if (t.contains("markdown") || t.equals("md") || s.lines().anyMatch(l -> HEADING.matcher(l).matches())) return Format.MARKDOWN;
    return Format.TEXT;
  }

  /** The chunks of {@code text}; refused with {@link InvalidInputException} beyond {@link #MAX_OUTPUT_CHARS}. */
  public static List<String> chunk(String text, Format format) {
    List<String> out = switch (format) {
      case TEXT -> pack(paragraphs(text), "");
      case MARKDOWN -> markdown(text);
      case JSON -> pack(jsonLines(text), "");
    };
    long total = 0;
    for (String c : out) total += c.length();
    if (total > MAX_OUTPUT_CHARS) throw tooLarge(format);
    return out;
  }

  private static InvalidInputException tooLarge(Format format) {
    return new InvalidInputException("the document expands to more than " + MAX_OUTPUT_CHARS + " characters when "
        + (format == Format.JSON ? "flattened (the key path is written before every value)" : "chunked")
        + "; send a smaller document, or shorter key paths");
  }

  private static List<String> paragraphs(String text) {
    List<String> out = new ArrayList<>();
    for (String p : PARAGRAPH_BREAK.split(text)) if (!p.isBlank()) out.add(joinLines(p.strip()));
    return out;
  }

  /**
   * The lines of a paragraph joined by one space, the whitespace around each line break dropped.
   * By hand rather than {@code replaceAll("\\s*\\n\\s*", " ")}: that pattern rescans a run of
   * spaces from every position in it, quadratic in the run's length (500,000 spaces took minutes).
   */
  private static String joinLines(String p) {
    if (p.indexOf('\n') < 0) return p;
    StringBuilder sb = new StringBuilder(p.length());
    int from = 0;
    while (true) {
      int nl = p.indexOf('\n', from);
      int end = nl < 0 ? p.length() : nl;
      int start = from;
      if (from > 0) while (start < end && isBlank(p.charAt(start))) start++;
      int stop = end;
      if (nl >= 0) while (stop > start && isBlank(p.charAt(stop - 1))) stop--;
      if (from > 0) sb.append(' ');
      sb.append(p, start, stop);
      if (nl < 0) return sb.toString();
      from = nl + 1;
    }
  }

  /** The characters of {@code \s} (regex, non-Unicode mode) other than the line feed itself. */
  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static List<String> markdown(String text) {
    List<String> out = new ArrayList<>();
    List<String> path = new ArrayList<>();
    StringBuilder section = new StringBuilder();
    for (String line : text.split("\\n")) {
      var m = HEADING.matcher(line.strip());
      if (m.matches()) {
        out.addAll(pack(paragraphs(section.toString()), headingPrefix(path)));
        section.setLength(0);
        int level = m.group(1).length();
        while (path.size() >= level) path.removeLast();
        path.add(m.group(2).strip());
      } else {
        section.append(line).append('\n');
      }
    }
    out.addAll(pack(paragraphs(section.toString()), headingPrefix(path)));
    return out;
  }

  /** "A > B > C", cut to its last {@link #MAX_HEADING_CHARS} characters: the nearest heading says most. */
  private static String headingPrefix(List<String> path) {
    String joined = String.join(" > ", path);
    return joined.length() <= MAX_HEADING_CHARS ? joined : "..." + joined.substring(joined.length() - (MAX_HEADING_CHARS - 3));
  }

  private static List<String> jsonLines(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return paragraphs(text);
    }
    Flattener f = new Flattener();
    f.flatten(root);
    return f.out;
  }

  /**
   * Depth-first {@code path: value} lines. The path is one buffer grown and cut back as the walk
   * descends and returns, so a deep path costs its length once per value written, never per node,
   * and the written total is checked against {@link #MAX_OUTPUT_CHARS} as it grows. Each line goes
   * through {@link #paragraphs} as the joined text once did (a value may hold blank lines).
   */
  private static final class Flattener {
    final List<String> out = new ArrayList<>();
    final StringBuilder path = new StringBuilder();
    long written;

    void flatten(JsonNode n) {
      int mark = path.length();
      if (n.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!path.isEmpty()) path.append('.');
          path.append(e.getKey());
          flatten(e.getValue());
          path.setLength(mark);
        }
      } else if (n.isArray()) {
        for (int i = 0; i < n.size(); i++) {
          path.append('[').append(i).append(']');
          flatten(n.get(i));
          path.setLength(mark);
        }
      } else if (!n.isNull()) {
        String value = n.asText();
        written += (path.isEmpty() ? 5 : path.length()) + 2 + value.length();
        if (written > MAX_OUTPUT_CHARS) throw tooLarge(Format.JSON);
        out.addAll(paragraphs((path.isEmpty() ? "value" : path) + ": " + value));
      }
    }
  }

  /** Packs pieces into chunks of about TARGET_CHARS, splitting over-long pieces at sentence ends. */
  private static List<String> pack(List<String> pieces, String heading) {
    List<String> units = new ArrayList<>();
    for (String p : pieces) {
      if (p.length() <= TARGET_CHARS) units.add(p);
      else units.addAll(List.of(SENTENCE_END.split(p)));
    }
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String u : units) {
      if (current.length() > 0 && current.length() + u.length() + 1 > TARGET_CHARS) {
        out.add(prefixed(heading, current.toString()));
        current.setLength(0);
      }
      if (current.length() > 0) current.append(' ');
      current.append(u.length() > TARGET_CHARS * 2 ? u.substring(0, TARGET_CHARS * 2) : u);
    }
    if (current.length() > 0) out.add(prefixed(heading, current.toString()));
    return out;
  }

  private static String prefixed(String heading, String body) {
    return heading.isEmpty() ? body : heading + ": " + body;
  }

  private static boolean parses(String s) {
    try {
      JSON.readTree(s);
      return true;
    } catch (JsonProcessingException e) {
      return false;
    }
  }
}
