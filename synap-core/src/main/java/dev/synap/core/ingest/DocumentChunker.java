package dev.synap.core.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 */
public final class DocumentChunker {
  static final int TARGET_CHARS = 1_200;
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

  public static List<String> chunk(String text, Format format) {
    return switch (format) {
      case TEXT -> pack(paragraphs(text), "");
      case MARKDOWN -> markdown(text);
      case JSON -> pack(jsonLines(text), "");
    };
  }

  private static List<String> paragraphs(String text) {
    List<String> out = new ArrayList<>();
    for (String p : text.split("\\n\\s*\\n")) if (!p.isBlank()) out.add(p.strip().replaceAll("\\s*\\n\\s*", " "));
    return out;
  }

  private static List<String> markdown(String text) {
    List<String> out = new ArrayList<>();
    List<String> path = new ArrayList<>();
    StringBuilder section = new StringBuilder();
    for (String line : text.split("\\n")) {
      var m = HEADING.matcher(line.strip());
      if (m.matches()) {
        out.addAll(pack(paragraphs(section.toString()), String.join(" > ", path)));
        section.setLength(0);
        int level = m.group(1).length();
        while (path.size() >= level) path.removeLast();
        path.add(m.group(2).strip());
      } else {
        section.append(line).append('\n');
      }
    }
    out.addAll(pack(paragraphs(section.toString()), String.join(" > ", path)));
    return out;
  }

  private static List<String> jsonLines(String text) {
    List<String> lines = new ArrayList<>();
    try {
      flatten(JSON.readTree(text), "", lines);
    } catch (JsonProcessingException e) {
      return paragraphs(text);
    }
    return List.of(String.join("\n\n", lines)).stream().flatMap(s -> paragraphs(s).stream()).toList();
  }

  private static void flatten(JsonNode n, String path, List<String> out) {
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) flatten(n.get(i), path + "[" + i + "]", out);
    } else if (!n.isNull()) {
      out.add((path.isEmpty() ? "value" : path) + ": " + n.asText());
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
