package dev.synap.bench.compaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One LoCoMo sample (shared/data/locomo/README.md): its turns in order, each stamped with its
 * session's date (the only timestamp in the data), and its questions with normalised evidence ids.
 */
record LocomoConversation(String sampleId, String speakerA, List<Turn> turns, List<Question> questions) {

  record Turn(String diaId, String speaker, String text, Instant at) {}

  /** @param evidence dia_ids after the README's normalisation; empty when none survived it */
  record Question(String question, int category, List<String> evidence) {}

  private static final DateTimeFormatter SESSION_DATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
      .appendPattern("h:mm a 'on' d MMMM, yyyy").toFormatter(Locale.ENGLISH);

  static List<LocomoConversation> read(Path file) throws IOException {
    List<LocomoConversation> out = new ArrayList<>();
    for (JsonNode sample : new ObjectMapper().readTree(file.toFile())) out.add(parse(sample));
    return out;
  }

  private static LocomoConversation parse(JsonNode sample) {
    JsonNode conv = sample.path("conversation");
    // Count sessions from the session_<N> keys: conv-26 has date keys without sessions.
    TreeMap<Integer, JsonNode> sessions = new TreeMap<>();
    conv.fieldNames().forEachRemaining(k -> {
      if (k.matches("session_\\d+") && conv.get(k).isArray()) sessions.put(Integer.parseInt(k.substring(8)), conv.get(k));
    });
    List<Turn> turns = new ArrayList<>();
    for (var e : sessions.entrySet()) {
      Instant start = LocalDateTime.parse(conv.path("session_" + e.getKey() + "_date_time").asText(), SESSION_DATE).toInstant(ZoneOffset.UTC);
      int i = 0;
      for (JsonNode t : e.getValue()) {
        String text = t.path("text").asText();
        if (t.hasNonNull("blip_caption")) text += " [shares " + t.get("blip_caption").asText() + "]";
        // Turns carry no time of their own: one second apart keeps their order within the session.
        turns.add(new Turn(t.path("dia_id").asText(), t.path("speaker").asText(), text, start.plusSeconds(i++)));
      }
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Turn t : turns) ids.add(t.diaId());
    List<Question> questions = new ArrayList<>();
    for (JsonNode q : sample.path("qa")) questions.add(new Question(q.path("question").asText(), q.path("category").asInt(), evidence(q.path("evidence"), ids)));
    return new LocomoConversation(sample.path("sample_id").asText(), conv.path("speaker_a").asText(), List.copyOf(turns), List.copyOf(questions));
  }

  /** Split on ; , and whitespace, rewrite D:s:t as Ds:t, strip leading zeros, drop unknown ids and repeats. */
  static List<String> evidence(JsonNode raw, Set<String> known) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode e : raw) {
      for (String part : e.asText().split("[;,\\s]+")) {
        String id = part.replaceFirst("^D:", "D");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("D0*(\\d+):0*(\\d+)").matcher(id);
        if (!m.matches()) continue;
        id = "D" + m.group(1) + ":" + m.group(2);
        if (known.contains(id)) out.add(id);
      }
    }
    return List.copyOf(out);
  }

  Map<String, Turn> turnsById() {
    Map<String, Turn> m = new LinkedHashMap<>();
    for (Turn t : turns) m.put(t.diaId(), t);
    return m;
  }
}
