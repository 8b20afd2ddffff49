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
import java.util.Optional;

/**
 * The LoCoMo dev conversations as Synap messages: one message per turn, the sample id as user
 * and conversation, the session's date as the turn's time, and the turn's speaker in metadata.
 */
final class LocomoCorpus {
  private static final DateTimeFormatter SESSION_TIME =
      new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("h:mm a 'on' d MMMM, yyyy").toFormatter(Locale.ENGLISH);

  private LocomoCorpus() {}

  /** The dev file from {@code -Dsynap.locomo}, the shared data folder, or next to the checkout. */
  static Optional<Path> locate() {
    for (String candidate : new String[] {System.getProperty("synap.locomo", ""), "/work/shared/data/locomo/locomo-dev.json",
        "../shared/data/locomo/locomo-dev.json", "../../shared/data/locomo/locomo-dev.json"}) {
      if (!candidate.isBlank() && Files.isRegularFile(Path.of(candidate))) return Optional.of(Path.of(candidate));
    }
    return Optional.empty();
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
