package dev.synap.core.extract;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises explicit retractions ("forget that", "that's not true anymore", "ignore what I said
 * about my job") from {@code retractions.txt}. The extractor keeps no memory for such a sentence;
 * the ingest pipeline applies it to earlier memories.
 */
public final class RetractionCues {

  /** A retraction; {@code topic} is null when it refers to what was said last. */
  public record Retraction(String topic) {
    public boolean ofLastStatement() {
      return topic == null;
    }
  }

  private final List<Pattern> patterns = Lexicon.patterns("retractions.txt");

  public Optional<Retraction> detect(String text) {
    if (text == null) return Optional.empty();
    String lower = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    for (Pattern p : patterns) {
      Matcher m = p.matcher(lower);
      if (!m.find()) continue;
      String topic = p.pattern().contains("?<topic>") ? m.group("topic") : null;
      return Optional.of(new Retraction(topic == null || topic.isBlank() ? null : topic.strip()));
    }
    return Optional.empty();
  }
}
