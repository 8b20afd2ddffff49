package dev.synap.bench.locomo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a LoCoMo file (the format of {@code data/locomo10.json} in https://github.com/snap-research/locomo) into plain records. */
public final class LocomoData {
  private static final DateTimeFormatter SESSION_TIME = DateTimeFormatter.ofPattern("h:mm a 'on' d MMMM, yyyy", Locale.ENGLISH);
  private static final Pattern SESSION_KEY = Pattern.compile("session_(\\d+)");
  private static final Pattern EVIDENCE_ID = Pattern.compile("D:?0*(\\d+):0*(\\d+)");

  /** One turn; {@code caption} is the BLIP caption of a shared image, or null. */
  public record Turn(String diaId, String speaker, String text, String caption) {
    /** The turn as the paper's baselines show it: text, then "[shares caption]" on its own line. */
    public String textWithCaption() {
      return caption == null ? text : text + "\n[shares " + caption + "]";
    }
  }

  public record Session(int number, LocalDateTime at, List<Turn> turns) {}

  /** A question with its evidence normalised to existing dia_ids (possibly empty: skipped when scoring). */
  public record Question(String text, int category, Set<String> evidence) {}

  public record Conversation(String sampleId, String speakerA, String speakerB, List<Session> sessions, List<Question> questions) {
    public int turnCount() {
      return sessions.stream().mapToInt(s -> s.turns().size()).sum();
    }
  }

  private LocomoData() {}

  /** Where the LoCoMo data set is published; it is not in this repository (CC BY-NC 4.0). */
  public static final String PUBLISHED_AT = "https://github.com/snap-research/locomo";

  /**
   * True when {@code file} names a readable file; otherwise prints one line saying which file the
   * command needs and where LoCoMo is published, and the command should exit with status 2.
   */
  public static boolean given(Path file, String command) {
    if (file != null && Files.isRegularFile(file)) return true;
    System.err.println(command + ": " + (file == null ? "" : file + " is not a file; ")
        + "needs --data FILE, a LoCoMo JSON file (data/locomo10.json or a subset of its samples) from " + PUBLISHED_AT);
    return false;
  }

  public static List<Conversation> read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<Conversation> out = new ArrayList<>();
    for (JsonNode sample : root) out.add(conversation(sample));
    return out;
  }

  static Conversation conversation(JsonNode sample) {
    JsonNode c = sample.get("conversation");
    // Sessions are counted from the session_<N> keys: conv-26 has dates for sessions it lacks.
    List<Integer> numbers = new ArrayList<>();
    c.fieldNames().forEachRemaining(k -> {
      Matcher m = SESSION_KEY.matcher(k);
      if (m.matches()) numbers.add(Integer.parseInt(m.group(1)));
    });
    numbers.sort(null);
    List<Session> sessions = new ArrayList<>();
    Set<String> known = new LinkedHashSet<>();
    for (int n : numbers) {
      List<Turn> turns = new ArrayList<>();
      for (JsonNode t : c.get("session_" + n)) {
        String caption = t.hasNonNull("blip_caption") ? t.get("blip_caption").asText() : null;
        turns.add(new Turn(t.get("dia_id").asText(), t.get("speaker").asText(), t.get("text").asText(), caption));
        known.add(t.get("dia_id").asText());
      }
      LocalDateTime at = LocalDateTime.parse(c.get("session_" + n + "_date_time").asText().replace("am", "AM").replace("pm", "PM"), SESSION_TIME);
      sessions.add(new Session(n, at, turns));
    }
    List<Question> questions = new ArrayList<>();
    for (JsonNode qa : sample.get("qa")) {
      List<String> raw = new ArrayList<>();
      if (qa.has("evidence")) for (JsonNode e : qa.get("evidence")) raw.add(e.asText());
      questions.add(new Question(qa.get("question").asText(), qa.get("category").asInt(), normaliseEvidence(raw, known)));
    }
    return new Conversation(sample.get("sample_id").asText(), c.get("speaker_a").asText(), c.get("speaker_b").asText(), sessions, questions);
  }

  /**
   * The README's normalisation: split on ';', ',' and whitespace; rewrite "D:s:t" as "Ds:t" and
   * drop leading zeros; drop ids that are not turns of this conversation; remove duplicates.
   */
  static Set<String> normaliseEvidence(List<String> raw, Set<String> known) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : raw) {
      for (String piece : s.split("[;,\\s]+")) {
        Matcher m = EVIDENCE_ID.matcher(piece.strip());
        if (!m.matches()) continue;
        String id = "D" + Integer.parseInt(m.group(1)) + ":" + Integer.parseInt(m.group(2));
        if (known.contains(id)) out.add(id);
      }
    }
    return out;
  }
}
