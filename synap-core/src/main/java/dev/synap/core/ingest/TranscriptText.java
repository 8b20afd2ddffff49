package dev.synap.core.ingest;

import dev.synap.core.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A transcript sent as one text: one turn per non-blank line, {@code "Speaker: words"} naming the
 * speaker (a speaker called assistant, ai, bot or agent makes an assistant turn).
 *
 * <p>Bounded like the array form: at most {@link #MAX_TURNS} turns, each line at most
 * {@link RecordValidator#MAX_CONTENT_CHARS} characters. The text is scanned once and the scan stops
 * at the first line over a limit, so a text of 200,000 one-character lines costs a scan, not
 * 200,000 queued messages.
 */
public final class TranscriptText {
  /** The most turns one transcript may have, as text or as an array. */
  public static final int MAX_TURNS = IngestPipeline.MAX_PARTS;
  /** A "name:" prefix longer than this is not a speaker but part of the sentence. */
  static final int MAX_SPEAKER_CHARS = 40;
  private static final Set<String> ASSISTANT_SPEAKERS = Set.of("assistant", "ai", "bot", "agent");

  private TranscriptText() {}

  /** The turns of {@code text}, each at {@code started} (may be null). */
  public static List<DocumentRequest.Part> turns(String text, Instant started) {
    List<DocumentRequest.Part> out = new ArrayList<>();
    int lineNumber = 0;
    for (int from = 0; from < text.length(); ) {
      int end = text.indexOf('\n', from);
      if (end < 0) end = text.length();
      lineNumber++;
      if (end - from > RecordValidator.MAX_CONTENT_CHARS) {
        throw new InvalidInputException("line " + lineNumber + " of the transcript is longer than " + RecordValidator.MAX_CONTENT_CHARS + " characters");
      }
      String line = text.substring(from, end);
      from = end + 1;
      if (line.isBlank()) continue;
      int colon = line.indexOf(':');
      String speaker = colon > 0 && colon < MAX_SPEAKER_CHARS ? line.substring(0, colon).strip() : null;
      String content = speaker == null ? line.strip() : line.substring(colon + 1).strip();
      if (content.isEmpty()) continue;
      if (out.size() == MAX_TURNS) throw new InvalidInputException("transcript has more than " + MAX_TURNS + " turns");
      String role = speaker != null && ASSISTANT_SPEAKERS.contains(speaker.toLowerCase(Locale.ROOT)) ? "assistant" : "user";
      out.add(new DocumentRequest.Part(role, content, started, speaker));
    }
    return out;
  }
}
