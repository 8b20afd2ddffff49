package dev.synap.core.retrieve.rank;

import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The feature vector of one candidate, every value in 0..1. The names are the contract with the
 * shipped model: a model trained on other names is refused (see {@link LearnedRanker#parse}), so
 * adding a feature means training again.
 */
public final class RankFeatures {
  public static final List<String> NAMES = List.of(
      "bias", "fused", "lexical_scaled", "lexical_rr", "dense_scaled", "dense_rr", "context_dense_scaled", "context_dense_rr", "signals",
      "term_coverage", "name_overlap", "names_missing", "when_and_time", "in_period", "out_of_period", "recency", "confidence",
      "type_fact", "type_preference", "type_episode", "type_emotion", "type_temporal_event", "length", "reinforced");

  /** Ages are measured in these: the memory's age relative to a year. */
  static final double YEAR_DAYS = 365;
  private static final Pattern WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Pattern TIME = Pattern.compile(
      "\\b(yesterday|today|tonight|tomorrow|last|next|ago|week|weekend|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
          + "|january|february|march|april|may|june|july|august|september|october|november|december|(19|20)\\d\\d)\\b");

  private RankFeatures() {}

  public static double[] of(QuestionCues q, Candidate c, long today) {
    Memory m = c.memory();
    String content = m.content().toLowerCase(Locale.ROOT);
    Set<String> words = new HashSet<>(List.of(WORD.split(content)));
    double[] f = new double[NAMES.size()];
    int i = 0;
    f[i++] = 1;
    f[i++] = c.fused();
    f[i++] = c.lexical().scaled();
    f[i++] = c.lexical().reciprocalRank();
    f[i++] = c.dense().scaled();
    f[i++] = c.dense().reciprocalRank();
    f[i++] = c.contextDense().scaled();
    f[i++] = c.contextDense().reciprocalRank();
    f[i++] = ((c.lexical().present() ? 1 : 0) + (c.dense().present() ? 1 : 0) + (c.contextDense().present() ? 1 : 0)) / 3.0;
    f[i++] = q.terms().isEmpty() ? 0 : share(q.terms(), words);
    Set<String> known = new HashSet<>(words);
    known.addAll(entityNames(m));
    double names = q.names().isEmpty() ? 0 : share(q.names(), known);
    f[i++] = names;
    f[i++] = q.names().isEmpty() ? 0 : 1 - names;
    f[i++] = q.asksWhen() && (m.eventDate() != null || TIME.matcher(content).find()) ? 1 : 0;
    boolean in = q.period().isPresent() && c.eventDay() >= q.period().get()[0] && c.eventDay() <= q.period().get()[1];
    f[i++] = in ? 1 : 0;
    f[i++] = q.period().isPresent() && !in ? 1 : 0;
    f[i++] = Math.pow(0.5, Math.max(0, today - c.eventDay()) / YEAR_DAYS);
    f[i++] = Math.clamp(m.confidence(), 0, 1);
    for (MemoryType t : MemoryType.values()) f[i++] = m.type() == t ? 1 : 0;
    f[i++] = Math.min(1, Math.log1p(words.size()) / Math.log1p(100));
    f[i++] = Math.min(1, (m.sourceMessageIds().size() - 1) / 3.0);
    return f;
  }

  private static double share(List<String> wanted, Set<String> present) {
    int n = 0;
    for (String w : wanted) if (present.contains(w)) n++;
    return (double) n / wanted.size();
  }

  /** Lower-cased words of the entity names the extractor linked ({@code attributes.entities}). */
  private static List<String> entityNames(Memory m) {
    List<String> out = new ArrayList<>();
    if (m.attributes() != null && m.attributes().get("entities") instanceof Collection<?> names) {
      for (Object n : names) if (n != null) out.addAll(List.of(WORD.split(n.toString().toLowerCase(Locale.ROOT))));
    }
    return out;
  }
}
