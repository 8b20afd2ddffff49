package dev.synap.bench.compaction;

import dev.synap.bench.locomo.LocomoData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LoCoMo conversation as the compaction bench walks it: one flat list of timed turns. Parsing
 * and evidence normalisation are {@link LocomoData}'s; this only flattens sessions.
 */
record LocomoConversation(String sampleId, String speakerA, List<Turn> turns, List<Question> questions) {

  /** A turn with its caption inlined; turns are one second apart within their session's time. */
  record Turn(String diaId, String speaker, String text, Instant at) {}

  /** A question with its normalised evidence ids. */
  record Question(String question, int category, List<String> evidence) {}

  static List<LocomoConversation> read(Path file) throws IOException {
    List<LocomoConversation> out = new ArrayList<>();
    for (LocomoData.Conversation c : LocomoData.read(file)) {
      List<Turn> turns = new ArrayList<>();
      for (LocomoData.Session s : c.sessions()) {
        Instant start = s.at().toInstant(ZoneOffset.UTC);
        int i = 0;
        for (LocomoData.Turn t : s.turns()) {
          String text = t.caption() == null ? t.text() : t.text() + " [shares " + t.caption() + "]";
          turns.add(new Turn(t.diaId(), t.speaker(), text, start.plusSeconds(i++)));
        }
      }
      List<Question> questions = c.questions().stream().map(q -> new Question(q.text(), q.category(), List.copyOf(q.evidence()))).toList();
      out.add(new LocomoConversation(c.sampleId(), c.speakerA(), List.copyOf(turns), questions));
    }
    return out;
  }

  Map<String, Turn> turnsById() {
    Map<String, Turn> m = new LinkedHashMap<>();
    for (Turn t : turns) m.put(t.diaId(), t);
    return m;
  }
}
