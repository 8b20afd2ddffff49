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
import dev.synap.core.retrieve.QueryTerms;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.IntFunction;
import java.util.function.Predicate;
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
 *       ranking is scaled so that its best scores 1, and a memory keeps the best score any ranking
 *       gives it, so the top evidence of every part reaches the head of the list however much more
 *       the other part matched (measured: keeping the raw scores, one person's ten good matches
 *       outscored the other person's best one). A fair merge without a fixed quota.
 *   <li>{@link #timeline}: for "how many times" and "how long" questions, the occurrences at the
 *       head of the ranking in date order, so they read as a time line.
 * </ul>
 * Not thread-safe: one instance per search.
 */
public final class PlannedSearch {
  /** Share of the best score a memory needs to be on a time line. */
  static final double TIMELINE_SHARE = 0.3;
  /** The longest time line put first. */
  static final int TIMELINE_LENGTH = 10;
  /** Days outside the period at which the temporal match has halved. */
  private static final double HALF_MATCH_DAYS = 3.5;

  private final QuestionPlan plan;
  private final Optional<TemporalRange> window;
  private final Map<Integer, Integer> foundBy = new HashMap<>();
  private final Set<String> eventWords;
  private static final Pattern NAME = Pattern.compile("\\b\\p{Lu}[\\p{L}]+\\b");
  /** Words of a time-line question's form, not of what it counts. */
  private static final Set<String> FORM_WORDS = Set.of("many", "times", "time", "often", "long", "much", "ago", "passed", "since", "between",
      "go", "went", "gone", "ever", "been", "days", "weeks", "months", "years", "day", "week", "month", "year", "first", "last");

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
    this.eventWords = plan.shape().timeline() ? eventWords(plan.question()) : Set.of();
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
    add(whole, -1, best);
    for (int i = 0; i < plan.subQueries().size(); i++) add(subQuery.apply(i), i, best);
    List<Fused> out = new ArrayList<>(best.values());
    out.sort(Comparator.comparingDouble(Fused::score).reversed().thenComparingInt(Fused::doc));
    return out;
  }

  /**
   * The hydrated ranking arranged for the question's shape: for questions that want several things,
   * the first {@link #TIMELINE_LENGTH} places go to different turns (a turn that made three memories
   * fills one place; its other memories follow the head, still in rank order), then, for time-line
   * questions, that head is put in date order.
   *
   * @param turn the turn a memory came from
   */
  public <T> List<T> arrange(List<T> ranked, Function<T, Object> turn, ToDoubleFunction<T> relevance, ToLongFunction<T> day,
      Predicate<T> matchesWords) {
    if (!plan.shape().spread()) return ranked;
    List<T> head = new ArrayList<>();
    List<T> later = new ArrayList<>();
    Set<Object> turns = new HashSet<>();
    for (T t : ranked) {
      if (head.size() >= TIMELINE_LENGTH) later.add(t);
      else if (turns.add(turn.apply(t))) head.add(t);
      else later.add(t);
    }
    head.addAll(later);
    return timeline(head, relevance, day, matchesWords);
  }

  /** Adds one ranking, scaled so its best is 1: every part's best evidence ties for the head of the merged list. */
  private void add(List<Fused> ranking, int part, Map<Integer, Fused> best) {
    double top = ranking.isEmpty() ? 1 : Math.max(1e-9, ranking.getFirst().score());
    for (Fused f : ranking) {
      double score = f.score() / top;
      Fused had = best.get(f.doc());
      if (had == null || score > had.score()) {
        best.put(f.doc(), new Fused(f.doc(), score, f.source(), Math.max(f.similarity(), had == null ? 0 : had.similarity())));
        if (part >= 0) foundBy.put(f.doc(), part);
        else foundBy.remove(f.doc());
      }
    }
  }

  /**
   * The ranking, with a time line first when the question wants one: the memories that name what
   * the question counts ({@code mentions}, see {@link #mentions}) and score at least
   * {@link #TIMELINE_SHARE} of the best, at most {@link #TIMELINE_LENGTH}, in date order; everything
   * else after them, as ranked. Words are the test because dense search always finds something: an
   * occurrence of "the beach" says "beach", a memory about a bicycle only resembles it.
   */
  public <T> List<T> timeline(List<T> ranked, ToDoubleFunction<T> relevance, ToLongFunction<T> day, Predicate<T> matchesWords) {
    if (!plan.shape().timeline() || ranked.isEmpty()) return ranked;
    double floor = relevance.applyAsDouble(ranked.getFirst()) * TIMELINE_SHARE;
    List<T> line = new ArrayList<>();
    List<T> rest = new ArrayList<>();
    for (T t : ranked) {
      boolean on = line.size() < TIMELINE_LENGTH && relevance.applyAsDouble(t) >= floor && matchesWords.test(t);
      (on ? line : rest).add(t);
    }
    line.sort(Comparator.comparingLong(day)); // stable: same-day memories keep their rank order
    line.addAll(rest);
    return line;
  }

  /**
   * Whether {@code content} names what a time-line question counts: one of the question's content
   * words that is neither a name (every memory of a person would match) nor part of the question's
   * form ("how many times", "how long ago").
   */
  public boolean mentions(String content) {
    if (eventWords.isEmpty()) return true;
    Set<String> words = new HashSet<>(QueryTerms.of(List.of(content)));
    for (String w : eventWords) if (words.contains(w)) return true;
    return false;
  }

  private static Set<String> eventWords(String question) {
    Set<String> names = new HashSet<>();
    Matcher m = NAME.matcher(question);
    while (m.find()) if (m.start() > 0) names.add(m.group().toLowerCase(Locale.ROOT));
    Set<String> out = new HashSet<>();
    for (String w : QueryTerms.of(List.of(question))) {
      if (!names.contains(w) && !FORM_WORDS.contains(w) && !w.chars().allMatch(Character::isDigit)) out.add(w);
    }
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
