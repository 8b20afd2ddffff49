package dev.synap.core.retrieve.question;

import dev.synap.core.retrieve.RankFusion.Fused;
import dev.synap.core.retrieve.TemporalRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.time.LocalDate;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One search carried out to a {@link QuestionPlan}. The retriever keeps its signals and asks this
 * class three things:
 * <ul>
 *   <li>{@link #window()}: the period to weigh memories in. A relative period anchored on an event
 *       is dated by the best lexical match for the event's words (with the question's names) among
 *       the memories the query may see; the anchor is read from the memories, not guessed.
 *   <li>{@link #merge}: the whole question's ranking merged with one ranking per sub-query. Each
 *       ranking is normalised to its own best, and a memory keeps the best score any ranking gives
 *       it, so the top evidence of every part reaches the head of the list however much more the
 *       other part matched: a fair merge without a fixed quota.
 *   <li>{@link #timeline}: for "how many times" and "how long" questions, the head of the ranking
 *       (every memory scoring at least {@link #TIMELINE_SHARE} of the best, at most
 *       {@link #TIMELINE_LENGTH}) in date order, so the occurrences read as a time line.
 * </ul>
 * Not thread-safe: one instance per search.
 */
public final class PlannedSearch {
  /** Share of the best score a memory needs to be on a time line. */
  static final double TIMELINE_SHARE = 0.5;
  /** The longest time line put first. */
  static final int TIMELINE_LENGTH = 10;
  /** Days outside the period at which the temporal match has halved. */
  private static final double HALF_MATCH_DAYS = 3.5;

  private final QuestionPlan plan;
  private final Optional<TemporalRange> window;
  private final Map<Integer, Integer> foundBy = new HashMap<>();

  /**
   * @param anchorDay the event day of the best match for some words, when there is one
   * @param today what "last year" and the like in the question are relative to
   */
  public PlannedSearch(QuestionPlan plan, Function<String, OptionalLong> anchorDay, LocalDate today) {
    this.plan = plan;
    // A period relative to an anchor first; else one named absolutely ("in May 2023"), as without a plan.
    this.window = plan.time().flatMap(t -> {
      if (t.anchorDate() != null) return t.fixedWindow();
      OptionalLong day = anchorDay.apply(t.anchorEvent());
      return day.isPresent() ? Optional.of(t.window(day.getAsLong())) : Optional.<TemporalRange>empty();
    }).or(() -> TemporalRange.parse(plan.question(), today));
  }

  public QuestionPlan plan() {
    return plan;
  }

  /** The period the question is about, if it names one. */
  public Optional<TemporalRange> window() {
    return window;
  }

  /**
   * @param whole the whole question's fused ranking, best first
   * @param subQuery the fused ranking of the i-th sub-query
   */
  public List<Fused> merge(List<Fused> whole, IntFunction<List<Fused>> subQuery) {
    if (plan.subQueries().isEmpty()) return whole;
    Map<Integer, Fused> best = new HashMap<>();
    for (Fused f : whole) best.put(f.doc(), f);
    for (int i = 0; i < plan.subQueries().size(); i++) {
      for (Fused f : subQuery.apply(i)) {
        Fused had = best.get(f.doc());
        if (had == null || f.score() > had.score()) {
          best.put(f.doc(), new Fused(f.doc(), f.score(), f.source(), Math.max(f.similarity(), had == null ? 0 : had.similarity())));
          foundBy.put(f.doc(), i);
        }
      }
    }
    List<Fused> out = new ArrayList<>(best.values());
    out.sort(Comparator.comparingDouble(Fused::score).reversed().thenComparingInt(Fused::doc));
    return out;
  }

  /** The ranking, with a time line first when the question wants one. */
  public <T> List<T> timeline(List<T> ranked, ToDoubleFunction<T> relevance, ToLongFunction<T> day) {
    if (!plan.shape().timeline() || ranked.isEmpty()) return ranked;
    double floor = relevance.applyAsDouble(ranked.getFirst()) * TIMELINE_SHARE;
    int n = 0;
    while (n < ranked.size() && n < TIMELINE_LENGTH && relevance.applyAsDouble(ranked.get(n)) >= floor) n++;
    List<T> out = new ArrayList<>(ranked);
    out.subList(0, n).sort(Comparator.comparingLong(day)); // stable: same-day memories keep their rank order
    return out;
  }

  /** The plan's view of one candidate (features for a learned ranker). */
  public QuestionMatch match(int doc, long eventDay) {
    double temporal = window.map(w -> {
      long outside = eventDay < w.fromDay() ? w.fromDay() - eventDay : eventDay > w.toDay() ? eventDay - w.toDay() : 0;
      return Math.pow(0.5, outside / HALF_MATCH_DAYS);
    }).orElse(1.0);
    return new QuestionMatch(foundBy.getOrDefault(doc, -1), window.isPresent(), temporal, plan.shape());
  }
}
