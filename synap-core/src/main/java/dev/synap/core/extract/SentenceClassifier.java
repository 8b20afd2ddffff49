package dev.synap.core.extract;

import dev.synap.core.model.MemoryType;
import dev.synap.core.time.TimeSpan;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides what kind of memory one first-person sentence is, if any. The order of the checks is
 * the precedence: a single-valued attribute, a preference, a plan, an emotion stated of the
 * speaker, something that happened, then a durable fact. Everything else is not kept.
 */
public final class SentenceClassifier {

  /** The verdict for one sentence; {@code span} is the sentence's resolved time, if any. */
  public record Classification(MemoryType type, double confidence, String category, Map<String, Object> attributes, TimeSpan span) {}

  private static final Pattern HEDGE = Pattern.compile("\\b(?:maybe|perhaps|probably|might|i think|i guess|kinda|kind of|sort of|not sure)\\b");
  private static final Pattern MILESTONE = Pattern.compile(
      "\\b(?:first|finally|big|huge|wedding|married|engaged|graduated|born|passed|won|adopted|moved|new job|promoted|promotion|accident|funeral|died|lost|champion)\\b");
  private final AttributeCues attributes = new AttributeCues();
  private final PreferenceCues preferences = new PreferenceCues();
  private final EmotionCues emotions = new EmotionCues();
  private final EventCues events = new EventCues();
  private final List<Pattern> factCues = Lexicon.patterns("fact-cues.txt");

  public PreferenceCues preferences() {
    return preferences;
  }

  /**
   * @param lower the sentence in lower case with straight apostrophes
   * @param span the sentence's first time expression, resolved against {@code anchor}, or null
   */
  public Optional<Classification> classify(String lower, TimeSpan span, LocalDate anchor) {
    double hedge = HEDGE.matcher(lower).find() ? 0.15 : 0;
    Map<String, Object> attrs = new LinkedHashMap<>();
    var attribute = attributes.detect(lower);
    if (attribute.isPresent()) {
      attrs.put("attribute_key", attribute.get().key());
      attrs.put("attribute_value", attribute.get().value());
      if (attribute.get().key().startsWith("favorite_")) {
        String category = preferences.category(attribute.get().key().replace('_', ' ') + " " + attribute.get().value()).orElse(null);
        attrs.put("preference_direction", "like");
        attrs.put("strength", 0.8);
        return verdict(MemoryType.PREFERENCE, 0.85 - hedge, category, attrs, span);
      }
      return verdict(MemoryType.FACT, 0.85 - hedge, null, attrs, span);
    }
    var preference = preferences.detect(lower);
    if (preference.isPresent()) {
      attrs.put("preference_direction", preference.get().direction());
      attrs.put("strength", preference.get().strength());
      return verdict(MemoryType.PREFERENCE, 0.8 - hedge, preference.get().category(), attrs, span);
    }
    boolean future = events.future(lower);
    boolean futureSpan = span != null && !span.end().isBefore(anchor);
    if (future && (futureSpan || events.plan(lower))) {
      return verdict(MemoryType.TEMPORAL_EVENT, (span != null ? 0.8 : 0.6) - hedge, null, attrs, span);
    }
    var emotion = emotions.detect(lower);
    boolean happened = events.happened(lower);
    boolean pastSpan = span != null && !span.start().isAfter(anchor);
    if (emotion.isPresent() && emotion.get().stated() && !(happened && pastSpan)) {
      attrs.put("emotion", emotion.get().emotion());
      attrs.put("intensity", emotion.get().intensity());
      return verdict(MemoryType.EMOTION, 0.75 - hedge, null, attrs, span);
    }
    if (!future && (happened || (pastSpan && span.isBefore(anchor)))) {
      double significance = 0.5 + (emotion.isPresent() ? 0.2 : 0) + (MILESTONE.matcher(lower).find() ? 0.2 : 0) + (lower.contains("!") ? 0.05 : 0);
      attrs.put("significance", Math.round(Math.min(1, significance) * 100) / 100.0);
      if (emotion.isPresent()) attrs.put("emotion", emotion.get().emotion());
      TimeSpan when = span == null && events.justHappened(lower) ? TimeSpan.day(anchor, "just", -1) : span;
      return verdict(MemoryType.EPISODE, (when != null ? 0.85 : 0.7) - hedge, null, attrs, when);
    }
    if (!future && factCues.stream().anyMatch(p -> p.matcher(lower).find())) {
      return verdict(MemoryType.FACT, 0.7 - hedge, null, attrs, span);
    }
    return Optional.empty();
  }

  private static Optional<Classification> verdict(MemoryType type, double confidence, String category, Map<String, Object> attrs, TimeSpan span) {
    return Optional.of(new Classification(type, Math.max(0.1, Math.round(confidence * 100) / 100.0), category, attrs, span));
  }
}
