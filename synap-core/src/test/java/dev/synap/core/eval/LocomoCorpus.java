package dev.synap.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.model.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The LoCoMo dev conversations as Synap messages: one message per turn, the sample id as user
 * and conversation, the session's date as the turn's time, and the turn's speaker in metadata.
 */
final class LocomoCorpus {
  private static final DateTimeFormatter SESSION_TIME =
      new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("h:mm a 'on' d MMMM, yyyy").toFormatter(Locale.ENGLISH);

  private LocomoCorpus() {}

  /** Where LoCoMo is published, for the one-line message a run without the file fails with. */
  static final String PUBLISHED_AT = "https://github.com/snap-research/locomo";

  /**
   * The LoCoMo file given to the opt-in {@code locomo} profile ({@code -Dsynap.locomo=FILE}; a
   * relative path is taken from the directory the build started in). Nothing is searched for: a
   * run without the file fails, so a broken default cannot hide behind a skipped test.
   */
  static Path require() {
    String given = System.getProperty("synap.locomo", "").strip();
    if (given.isEmpty()) {
      throw new IllegalStateException("LoCoMo evaluation needs the LoCoMo JSON file (data/locomo10.json, or a subset of its"
          + " samples): pass -Dsynap.locomo=FILE; LoCoMo is published at " + PUBLISHED_AT);
    }
    Path file = Path.of(given);
    if (!file.isAbsolute()) file = Path.of(System.getProperty("synap.locomo.base", "")).toAbsolutePath().resolve(file).normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("LoCoMo file not found: " + file + " (LoCoMo is published at " + PUBLISHED_AT + ")");
    }
    return file;
  }

  static List<Message> load(Path file) throws IOException {
    JsonNode samples = new ObjectMapper().readTree(file.toFile());
    List<Message> out = new ArrayList<>();
    for (JsonNode sample : samples) {
      String id = sample.path("sample_id").asText();
      JsonNode conv = sample.path("conversation");
      String participants = conv.path("speaker_a").asText() + "," + conv.path("speaker_b").asText();
      List<Integer> sessions = new ArrayList<>();
      conv.fieldNames().forEachRemaining(k -> {
        if (k.matches("session_\\d+")) sessions.add(Integer.parseInt(k.substring(8)));
      });
      sessions.sort(Comparator.naturalOrder());
      for (int s : sessions) {
        var when = LocalDateTime.parse(conv.path("session_" + s + "_date_time").asText(), SESSION_TIME).toInstant(ZoneOffset.UTC);
        int i = 0;
        for (JsonNode turn : conv.path("session_" + s)) {
          // Turns within a session keep their order a second apart.
          var at = when.plusSeconds(i++);
          out.add(new Message(id + ":" + turn.path("dia_id").asText(), "locomo", id + "-s" + s, id, null, id + "-s" + s, "user", "message",
              turn.path("text").asText(), Map.of("speaker", turn.path("speaker").asText(), "participants", participants), at, at));
        }
      }
    }
    return out;
  }
}
