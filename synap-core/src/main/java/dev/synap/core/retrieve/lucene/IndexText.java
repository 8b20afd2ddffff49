package dev.synap.core.retrieve.lucene;

import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders what the index reads for a memory: the memory's own text, the turn(s) it came from and,
 * optionally, the turn before them and the date they were said. A turn alone is often
 * uninformative ("Yes, last Saturday!"); the question it answers and the date it was said are
 * what a later query mentions. Both options are measured by the LoCoMo bench.
 *
 * @param precedingTurns how many earlier turns of the same session to include as context
 * @param datePrefix whether to prefix the day the memory refers to, e.g. "8 May 2023"
 * @param dense which texts are embedded: the memory and its own turns, the same with the context,
 *     or both (two vectors per memory, searched as two rankings)
 */
public record IndexText(int precedingTurns, boolean datePrefix, DenseText dense) {
  public static final IndexText DEFAULT = new IndexText(1, true, DenseText.BOTH);

  /** What the embedding of a memory sees. */
  public enum DenseText {
    OWN,
    CONTEXT,
    BOTH
  }

  /**
   * The texts of a memory: what BM25 indexes, the memory with its own turns, and the same with its
   * context (equal to {@code own} when there is no context).
   */
  public record Rendered(String lexical, String own, String withContext) {}

  /** The message metadata key a speaker's display name is read from, when a client sets it. */
  public static final String SPEAKER_KEY = "speaker";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

  public Rendered render(Memory memory, List<Message> sources, List<Message> preceding) {
    List<String> context = new ArrayList<>();
    if (datePrefix) context.add(LocalDate.ofEpochDay(eventDay(memory, sources)).format(DAY) + ".");
    for (Message p : preceding) context.add(turn(p));
    List<String> own = new ArrayList<>();
    boolean contentSeen = false;
    for (Message s : sources) {
      own.add(turn(s));
      contentSeen |= s.content().strip().equals(memory.content().strip());
    }
    // A derived memory ("Caroline is single") says it in other words than the turn: keep both.
    if (!contentSeen) own.add(memory.content());
    List<String> all = new ArrayList<>(context);
    all.addAll(own);
    String lexical = String.join("\n", all);
    return new Rendered(lexical, String.join("\n", own), lexical);
  }

  /** "Caroline: text" when the client named the speaker, else "user: text" by role. */
  static String turn(Message m) {
    String who = m.metadata().getOrDefault(SPEAKER_KEY, m.role());
    return who == null || who.isBlank() ? m.content() : who + ": " + m.content();
  }

  /** The day a memory is about: its stated event date, else when its source was said, else when it was made. */
  public static long eventDay(Memory memory, List<Message> sources) {
    if (memory.eventDate() != null && memory.eventDate().length() >= 10) {
      try {
        return LocalDate.parse(memory.eventDate().substring(0, 10)).toEpochDay();
      } catch (DateTimeParseException ignored) {
        // fall through to the source's date
      }
    }
    if (!sources.isEmpty()) return sources.getFirst().occurredAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
    return memory.createdAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
  }
}
