package dev.synap.core.retrieve;

import dev.synap.core.embed.Embedder;
import dev.synap.core.embed.Vectors;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.RankFusion.Fused;
import dev.synap.core.retrieve.RankFusion.Ranking;
import dev.synap.core.retrieve.graph.GraphWalk;
import dev.synap.core.retrieve.lucene.Hit;
import dev.synap.core.retrieve.lucene.InstanceIndex;
import dev.synap.core.retrieve.lucene.MemoryIndex;
import dev.synap.core.retrieve.lucene.ScopeQuery;
import dev.synap.core.retrieve.lucene.StoredMemory;
import dev.synap.core.retrieve.rank.Candidate;
import dev.synap.core.retrieve.rank.LearnedRanker;
import dev.synap.core.retrieve.rank.QuestionCues;
import dev.synap.core.retrieve.rank.RankFeatures;
import dev.synap.core.retrieve.rank.Signal;
import dev.synap.core.store.MemoryStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import dev.synap.core.retrieve.question.PlannedSearch;
import dev.synap.core.retrieve.question.QuestionPlan;
import dev.synap.core.retrieve.question.QuestionPlans;
import org.apache.lucene.search.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BM25 and dense (e5) retrieval over the Lucene index, fused (min-max score blend by default, see
 * {@link RankFusion}), then weighted by what we know about each memory: confidence, age and, when
 * the question names a period, whether the memory falls in it. Dense search runs twice: against
 * the embedding of each memory's own turn and against the embedding of that turn in its context
 * (the turn before it), because the first keeps who-said-what sharp and the second carries what a
 * short answer was about; on LoCoMo the pair beat either alone. Scope filters run inside both Lucene searches; the final memories are
 * read back from the system of record, which drops anything no longer current there, so a stale
 * index can cost recall but never show a superseded or deleted memory.
 *
 * <p>{@code fast} is one pass of each signal. {@code accurate} also searches each query on its
 * own, adds a pseudo-relevance-feedback dense pass (the query moved towards its best hits), digs
 * deeper, and re-orders the head with MMR so near-duplicates give way to other evidence.
 */
public final class HybridRetriever implements Retriever {
  private static final Logger LOG = LoggerFactory.getLogger(HybridRetriever.class);

  /**
   * Tunables, measured on the LoCoMo bench rather than guessed.
   *
   * @param fastDepth candidates taken from each signal in fast mode ({@code accurateDepth}: accurate)
   * @param lexicalWeight weight of BM25 in the fusion ({@code denseWeight}, {@code contextDenseWeight}:
   *     the two dense searches; {@code feedbackWeight}: accurate mode's feedback pass)
   * @param mmrLambda MMR trade-off in accurate mode: 1 = relevance only
   * @param recencyHalfLifeDays age at which the recency factor has lost half its (small) weight
   * @param outOfRangeFactor multiplier for memories outside a period the question names
   * @param relativeFloor items scoring below this share of the best item are dropped: dense search
   *     always returns its k nearest, however far, and those must not pad a bundle
   * @param learnedRanker re-score the fused head with the trained ranker ({@code rank.LearnedRanker}) instead of the hand-set
   *     weights; off by default: on the LoCoMo dev file it lost to the hand-set fusion (results README, "Retrieval depth")
   */
  public record Settings(RankFusion.Method fusion, int fastDepth, int accurateDepth, double lexicalWeight, double denseWeight,
      double contextDenseWeight, double feedbackWeight, double mmrLambda, double recencyHalfLifeDays, double outOfRangeFactor, double relativeFloor,
      boolean learnedRanker) {
    public static final Settings DEFAULT = new Settings(RankFusion.Method.MIN_MAX, 40, 100, 1.0, 1.0, 1.0, 0.5, 0.85, 365, 0.7, 0.1, false);

    public Settings withLearnedRanker(boolean on) {
      return new Settings(fusion, fastDepth, accurateDepth, lexicalWeight, denseWeight, contextDenseWeight, feedbackWeight, mmrLambda,
          recencyHalfLifeDays, outOfRangeFactor, relativeFloor, on);
    }
  }

  /**
   * Runs the query embedding beside the lexical search. Platform threads, not virtual: the model
   * runs in native code for milliseconds, which would pin one of the few carrier threads that
   * every REST handler and gRPC callback shares.
   */
  private static final Executor BESIDE = Executors.newCachedThreadPool(Thread.ofPlatform().name("synap-query-embed-", 0).daemon(true).factory());
  /** Up to this many not-yet-embedded memories are matched here rather than through the store's full-text search. */
  static final int BRIDGE_BY_ID = 2_000;
  private final MemoryIndex index;
  private final MemoryStore memories;
  private final Retriever fallback;
  private final Settings settings;
  private final Clock clock;
  private final QuestionPlans questions;
  /** Expands the ranking through turns, entities and relations; null: no walk. */
  private final GraphWalk graph;
  /** Re-scores the fused head when present (see {@code rank.LearnedRanker}); empty: the hand-set fusion orders alone. */
  private final Optional<LearnedRanker> learned;

  /** With the shipped learned ranker when {@link Settings#learnedRanker} is on (and the resource is usable). */
  public HybridRetriever(MemoryIndex index, MemoryStore memories, Retriever fallback, Settings settings, Clock clock) {
    this(index, memories, fallback, settings, clock, QuestionPlans.OFF, null);
  }

  /**
   * @param questions how questions are planned (sub-queries, relative time, time lines); {@link QuestionPlans#OFF} for none
   * @param graph the graph walk after fusion (see {@link GraphWalk}); null for none
   */
  public HybridRetriever(MemoryIndex index, MemoryStore memories, Retriever fallback, Settings settings, Clock clock, QuestionPlans questions,
      GraphWalk graph) {
    this(index, memories, fallback, settings, clock, questions, graph, settings.learnedRanker() ? LearnedRanker.shipped() : Optional.empty());
  }

  /** @param learned the model that re-scores the fused head (before the graph walk); empty for the hand-set fusion alone */
  public HybridRetriever(MemoryIndex index, MemoryStore memories, Retriever fallback, Settings settings, Clock clock, QuestionPlans questions,
      GraphWalk graph, Optional<LearnedRanker> learned) {
    this.index = index;
    this.memories = memories;
    this.fallback = fallback;
    this.settings = settings;
    this.clock = clock;
    this.questions = questions;
    this.graph = graph == null || graph.settings().off() ? null : graph;
    this.learned = learned;
  }

  @Override
  public ContextResult retrieve(ContextQuery q) {
    return retrieve(q, null);
  }

  /**
   * The first pass, handed to {@code early} while the query is still being embedded, is the BM25
   * ranking alone (with memories waiting for the embedder, fitted to the budget), marked by its
   * sources ({@code lexical} without {@code vector}); the full result fuses it with both dense
   * searches. A push can go out after the first pass and the dense search's additions after it:
   * the first costs no model run.
   */
  @Override
  public ContextResult retrieve(ContextQuery q, Consumer<ContextResult> early) {
    if (q.queries().isEmpty()) return fallback.retrieve(q); // nothing to match: newest memories
    // While the index is rebuilt or the model still loads (first second of the process), the
    // lexical retriever is complete and fast; better that than a caller waiting.
    if (!index.ready(q.instanceId()) || !index.embedder().ready()) return fallback.retrieve(q);
    long start = System.nanoTime();
    // Taken before the index is searched: a write applied meanwhile must not make a stale hit look current.
    Unindexed unindexed = new Unindexed(Set.copyOf(index.notYetIndexed(q.instanceId())), Set.copyOf(index.stale(q.instanceId())));
    try {
      return result(q, rank(q, early == null ? null : lexical -> early.accept(result(q, lexical, unindexed, LEXICAL_ONLY, start))), unindexed, FULL,
          start);
    } catch (RuntimeException e) {
      LOG.warn("hybrid retrieval failed for instance {}, answering lexically: {}", q.instanceId(), e.toString());
      return fallback.retrieve(q);
    }
  }

  private static final List<String> FULL = List.of("lexical", "vector");
  private static final List<String> LEXICAL_ONLY = List.of("lexical");

  /** Memories whose index entry is missing, and those of them whose entry is out of date, when a search began. */
  private record Unindexed(Set<String> waiting, Set<String> stale) {}

  private ContextResult result(ContextQuery q, List<ContextItem> ranked, Unindexed unindexed, List<String> sources, long start) {
    TokenBudget.Fitted fitted = TokenBudget.fit(withUnindexed(q, ranked, unindexed), q.tokenBudget(), q.maxResults());
    return new ContextResult(fitted.items(), fitted.tokensUsed(), q.tokenBudget(), fitted.exceeded(), q.mode(), sources,
        (System.nanoTime() - start) / 1000);
  }

  /**
   * Memories already committed but still waiting for the embedder are matched on the query's words
   * and put first: they are the newest, and they matched. While the backlog is small (the steady
   * state) the index's copy of their text and owner picks the possible matches, and only those are
   * read from the store (for their current state and the scope check); a large backlog (a burst
   * being embedded) goes through the store's full-text index instead.
   */
  private List<ContextItem> withUnindexed(ContextQuery q, List<ContextItem> ranked, Unindexed unindexed) {
    Set<String> waiting = unindexed.waiting();
    if (waiting.isEmpty()) return ranked;
    List<ContextItem> fresh = new ArrayList<>();
    if (waiting.size() <= BRIDGE_BY_ID) {
      List<String> terms = QueryTerms.of(q.queries());
      // Only those that can match are read (their text as extracted contains a query word, and they
      // belong to no other user or customer; or they are unknown here: an edit); the store then says
      // what they are now and whether the query's scope sees them.
      Map<String, MemoryIndex.Waiting> known = index.waitingMemories(q.instanceId());
      List<String> candidates = new ArrayList<>();
      for (String id : waiting) {
        MemoryIndex.Waiting w = known.get(id);
        if (w == null || (mayBeVisible(q, w) && containsAny(w.lowerCasedText(), terms))) candidates.add(id);
      }
      for (Memory m : memories.getAll(LexicalRetriever.filterFor(q), candidates)) {
        int matched = matchedTerms(terms, m.content());
        if (matched == 0) continue;
        double s = (double) matched / terms.size();
        fresh.add(new ContextItem(m, s, s, "lexical", Tokens.estimate(m.content())));
      }
      fresh.sort(Comparator.comparingDouble(ContextItem::relevance).reversed());
    } else {
      for (ContextItem i : fallback.retrieve(q).items()) if (waiting.contains(i.memory().memoryId())) fresh.add(i);
    }
    // An edited or deleted memory's index entry still matches what it used to say: only the store's version counts.
    Set<String> stale = unindexed.stale();
    if (fresh.isEmpty() && stale.isEmpty()) return ranked;
    Set<String> ids = new HashSet<>();
    for (ContextItem i : fresh) ids.add(i.memory().memoryId());
    for (ContextItem i : ranked) if (!stale.contains(i.memory().memoryId()) && ids.add(i.memory().memoryId())) fresh.add(i);
    return fresh;
  }

  /**
   * False only where isolation already rules the memory out: a user's fetch never sees another
   * user's memories, a user's or customer's fetch never another customer's. A prefilter; the
   * store's scope filter stays the rule.
   */
  private static boolean mayBeVisible(ContextQuery q, MemoryIndex.Waiting w) {
    boolean ownerScoped = q.scope() == Scope.USER || q.scope() == Scope.CUSTOMER;
    if (q.scope() == Scope.USER && q.userId() != null && w.userId() != null && !q.userId().equals(w.userId())) return false;
    return !ownerScoped || q.customerId() == null || w.customerId() == null || q.customerId().equals(w.customerId());
  }

  private static boolean containsAny(String lowerCased, List<String> terms) {
    for (String t : terms) if (lowerCased.contains(t)) return true;
    return false;
  }

  /** How many of the query's words the text contains as words (case-insensitive). */
  static int matchedTerms(List<String> terms, String content) {
    Set<String> words = new HashSet<>(QueryTerms.of(List.of(content)));
    int n = 0;
    for (String t : terms) if (words.contains(t)) n++;
    return n;
  }

  /** The full ranking; {@code lexicalFirst}, when set, gets the BM25 ranking alone before the dense searches wait for the embedding. */
  private List<ContextItem> rank(ContextQuery q, Consumer<List<ContextItem>> lexicalFirst) {
    return rank(q, lexicalFirst, null);
  }

  /** As {@link #rank(ContextQuery, Consumer)}; {@code probe}, when set, gets the head instead of the learned ranker. */
  private List<ContextItem> rank(ContextQuery q, Consumer<List<ContextItem>> lexicalFirst, Consumer<Head> probe) {
    boolean accurate = "accurate".equalsIgnoreCase(q.mode());
    int depth = accurate ? settings.accurateDepth() : settings.fastDepth();
    String text = String.join("\n", q.queries());
    Query filter = ScopeQuery.of(LexicalRetriever.filterFor(q));
    InstanceIndex idx = index.forInstance(q.instanceId());
    Embedder embedder = index.embedder();
    // The query embedding is most of a fast fetch: it runs while the lexical search does.
    CompletableFuture<float[]> embedding = CompletableFuture.supplyAsync(() -> embedder.embedQuery(text), BESIDE);
    LocalDate today = LocalDate.now(clock);
    QuestionPlan plan = q.queries().size() == 1 ? questions.plan(text, accurate, today) : QuestionPlan.plain(text);
    List<CompletableFuture<float[]>> partVectors = plan.subQueries().stream()
        .map(part -> CompletableFuture.supplyAsync(() -> embedder.embedQuery(part), BESIDE)).toList();
    try (InstanceIndex.View view = idx.view()) {
      List<Ranking> rankings = new ArrayList<>();
      rankings.add(new Ranking("lexical", view.lexical(idx.analyze(text), filter, depth), settings.lexicalWeight()));
      PlannedSearch planned = new PlannedSearch(plan, words -> bestDay(view, idx, filter, words), today);
      Optional<TemporalRange> period = planned.window();
      if (lexicalFirst != null && !accurate) {
        lexicalFirst.accept(hydrate(q.instanceId(), weigh(view, RankFusion.fuse(rankings, settings.fusion()), depth, period, q.precision()), q.maxResults(),
            q.tokenBudget()));
      }
      float[] queryVector = embedding.join();
      rankings.add(new Ranking("vector", view.dense(queryVector, filter, depth), settings.denseWeight()));
      rankings.add(new Ranking("vector", view.denseInContext(queryVector, filter, depth), settings.contextDenseWeight()));
      if (accurate) expand(q, idx, view, filter, depth, queryVector, rankings);
      List<Fused> fused = planned.merge(RankFusion.fuse(rankings, settings.fusion()), i -> RankFusion.fuse(
          signals(view, idx, filter, depth, plan.subQueries().get(i), partVectors.get(i).join()), settings.fusion()));
      List<Scored> scored = weigh(view, fused, depth, period, q.precision());
      // The learned ranker reads the whole question's rankings: a question searched in parts (sub-queries, an LLM rewrite) keeps the plan's merge.
      boolean whole = plan.subQueries().isEmpty();
      if (probe != null) {
        if (whole) probe.accept(head(q, view, rankings, scored, period));
      } else if (learned.isPresent() && whole) {
        scored = relearn(learned.get(), head(q, view, rankings, scored, period));
      }
      if (graph != null) scored = walk(view, filter, q, idx.analyze(text), text, queryVector, scored, accurate);
      if (accurate) scored = diversify(view, scored);
      List<ContextItem> items = hydrate(q.instanceId(), scored, accurate ? Integer.MAX_VALUE : q.maxResults(), q.tokenBudget());
      if (!plan.shape().spread()) return items;
      Map<String, Long> days = new HashMap<>();
      for (Scored s : scored) days.put(s.memoryId(), view.stored(s.doc()).eventDay());
      return planned.arrange(items, i -> i.memory().sourceMessageIds().isEmpty() ? i.memory().memoryId() : i.memory().sourceMessageIds().getFirst(),
          ContextItem::relevance, i -> days.get(i.memory().memoryId()), i -> planned.mentions(i.memory().content()));
    }
  }

  /** The three base rankings of one text: BM25, and dense against each memory's own turn and against it in context. */
  private List<Ranking> signals(InstanceIndex.View view, InstanceIndex idx, Query filter, int depth, String text, float[] vector) {
    return List.of(new Ranking("lexical", view.lexical(idx.analyze(text), filter, depth), settings.lexicalWeight()),
        new Ranking("vector", view.dense(vector, filter, depth), settings.denseWeight()),
        new Ranking("vector", view.denseInContext(vector, filter, depth), settings.contextDenseWeight()));
  }

  /** The event day of the best lexical match for {@code words} among what the query may see: a question's anchor event. */
  private static OptionalLong bestDay(InstanceIndex.View view, InstanceIndex idx, Query filter, String words) {
    List<Hit> hits = view.lexical(idx.analyze(words), filter, 1);
    return hits.isEmpty() ? OptionalLong.empty() : OptionalLong.of(view.stored(hits.getFirst().doc()).eventDay());
  }

  /**
   * The graph walk's hook: what it reached joins the ranking at its decayed score (source {@code
   * graph}); a hit the walk reached with a better score moves up, none moves down.
   */
  private List<Scored> walk(InstanceIndex.View view, Query filter, ContextQuery q, List<String> terms, String text, float[] queryVector,
      List<Scored> scored, boolean accurate) {
    List<GraphWalk.Seed> seeds = new ArrayList<>(scored.size());
    Map<Integer, Scored> byDoc = new HashMap<>();
    for (Scored s : scored) {
      seeds.add(new GraphWalk.Seed(s.doc(), s.relevance()));
      byDoc.put(s.doc(), s);
    }
    List<Scored> out = new ArrayList<>();
    for (GraphWalk.Reached r : graph.walk(view, filter, q.instanceId(), text, terms, queryVector, seeds, accurate).values()) {
      Scored had = byDoc.get(r.doc());
      if (had == null) out.add(new Scored(r.doc(), view.stored(r.doc()).memoryId(), r.relevance(), 0, "graph"));
      else out.add(r.relevance() > had.relevance() ? new Scored(had.doc(), had.memoryId(), r.relevance(), had.similarity(), had.source()) : had);
    }
    out.sort(Comparator.comparingDouble(Scored::relevance).reversed());
    return out;
  }

  /** Accurate mode's extra rankings: each query alone, and one round of pseudo-relevance feedback. */
  private void expand(ContextQuery q, InstanceIndex idx, InstanceIndex.View view, Query filter, int depth, float[] queryVector,
      List<Ranking> rankings) {
    if (q.queries().size() > 1) {
      double w = 1.0 / q.queries().size();
      for (String single : q.queries()) {
        rankings.add(new Ranking("lexical", view.lexical(idx.analyze(single), filter, depth), w * settings.lexicalWeight()));
        float[] v = index.embedder().embedQuery(single);
        rankings.add(new Ranking("vector", view.dense(v, filter, depth), w * settings.denseWeight()));
        rankings.add(new Ranking("vector", view.denseInContext(v, filter, depth), w * settings.contextDenseWeight()));
      }
    }
    // Rocchio on the dense side: move the query towards the centroid of its best first-pass hits.
    List<Fused> first = RankFusion.fuse(rankings, settings.fusion());
    float[] moved = queryVector.clone();
    int used = 0;
    for (Fused f : first.subList(0, Math.min(3, first.size()))) {
      float[] v = view.vector(f.doc());
      if (v == null) continue;
      for (int i = 0; i < moved.length; i++) moved[i] += 0.5f * v[i] / 3;
      used++;
    }
    if (used > 0) rankings.add(new Ranking("vector", view.dense(Vectors.unit(moved), filter, depth), settings.feedbackWeight()));
  }

  private record Scored(int doc, String memoryId, double relevance, double similarity, String source) {}

  /** The candidates the learned ranker sees, with their place in the weighed list and what it reads from the question. */
  private record Head(List<Scored> scored, List<Candidate> candidates, QuestionCues cues, long today) {}

  /**
   * The fused head as the learned ranker sees it, for training ({@code synap bench locomo-train}):
   * each candidate's features, best of the hand-set fusion first. Empty where retrieval would not
   * search the index (no query, index not ready).
   */
  public List<RankedCandidate> candidates(ContextQuery q) {
    if (q.queries().isEmpty() || !index.ready(q.instanceId()) || !index.embedder().ready()) return List.of();
    List<RankedCandidate> out = new ArrayList<>();
    HybridRetriever plain = new HybridRetriever(index, memories, fallback, settings, clock, questions, graph, Optional.empty());
    plain.rank(q, null, head -> {
      for (Candidate c : head.candidates()) out.add(new RankedCandidate(c.memory(), RankFeatures.of(head.cues(), c, head.today())));
    });
    return out;
  }

  /** A candidate of the head and its feature vector ({@link RankFeatures#NAMES}). */
  public record RankedCandidate(Memory memory, double[] features) {}

  /**
   * The top of the weighed list with each primary signal's rank and scaled score (the first three
   * rankings: BM25, dense on the turn, dense on the turn in context) and the memory from the store.
   */
  private Head head(ContextQuery q, InstanceIndex.View view, List<Ranking> rankings, List<Scored> scored, Optional<TemporalRange> period) {
    int n = Math.min(scored.size(), learned.map(LearnedRanker::head).orElse(HEAD));
    List<Scored> top = scored.subList(0, n);
    Map<String, Memory> byId = new HashMap<>();
    for (Memory m : memories.getAll(q.instanceId(), top.stream().map(Scored::memoryId).toList())) byId.put(m.memoryId(), m);
    List<Map<Integer, Signal>> signals = new ArrayList<>();
    for (Ranking r : rankings.subList(0, Math.min(3, rankings.size()))) signals.add(signals(r.hits()));
    while (signals.size() < 3) signals.add(Map.of());
    double best = n == 0 ? 1 : Math.max(1e-9, top.getFirst().relevance());
    List<Scored> kept = new ArrayList<>(n);
    List<Candidate> candidates = new ArrayList<>(n);
    for (Scored s : top) {
      Memory m = byId.get(s.memoryId());
      if (m == null) continue; // gone from the store: hydrate drops it too
      kept.add(s);
      candidates.add(new Candidate(m, s.relevance() / best, signals.get(0).getOrDefault(s.doc(), Signal.ABSENT),
          signals.get(1).getOrDefault(s.doc(), Signal.ABSENT), signals.get(2).getOrDefault(s.doc(), Signal.ABSENT), view.stored(s.doc()).eventDay()));
    }
    List<Scored> rest = new ArrayList<>(kept);
    rest.addAll(scored.subList(n, scored.size()));
    QuestionCues cues = QuestionCues.of(String.join("\n", q.queries()), QueryTerms.of(q.queries()),
        period.map(p -> new long[] {p.fromDay(), p.toDay()}));
    return new Head(rest, candidates, cues, LocalDate.now(clock).toEpochDay());
  }

  /** Candidates re-scored by default; a shipped model says its own. */
  public static final int HEAD = 60;

  private static Map<Integer, Signal> signals(List<Hit> hits) {
    Map<Integer, Signal> out = new HashMap<>();
    double max = hits.stream().mapToDouble(Hit::score).max().orElse(0);
    double min = hits.stream().mapToDouble(Hit::score).min().orElse(0);
    for (int rank = 0; rank < hits.size(); rank++) {
      Hit h = hits.get(rank);
      out.putIfAbsent(h.doc(), new Signal(rank, max == min ? 1 : (h.score() - min) / (max - min)));
    }
    return out;
  }

  /**
   * Re-orders the head by the learned model and gives the k-th of the new order the k-th best
   * hand-set score: only the order changes, so what reads the scores afterwards (the graph walk's
   * decays, MMR, a time line's share of the best, a client's relevance) sees the scale it was tuned
   * on. (Measured first with the model's own calibrated scores in their place: the walk and MMR
   * then mixed two scales.) The tail keeps its hand-set order and scores. Ties keep the hand-set order.
   */
  private static List<Scored> relearn(LearnedRanker model, Head head) {
    int n = head.candidates().size();
    List<Integer> order = new ArrayList<>(n);
    double[] learned = new double[n];
    for (int i = 0; i < n; i++) {
      learned[i] = model.score(RankFeatures.of(head.cues(), head.candidates().get(i), head.today()));
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> learned[i]).reversed()); // stable: ties keep the hand-set order
    List<Scored> out = new ArrayList<>(head.scored().size());
    for (int k = 0; k < n; k++) {
      Scored s = head.scored().get(order.get(k));
      out.add(new Scored(s.doc(), s.memoryId(), head.scored().get(k).relevance(), s.similarity(), s.source()));
    }
    out.addAll(head.scored().subList(n, head.scored().size()));
    return out;
  }

  /** Applies confidence, recency and the question's period to the fused scores; all factors are at most 1. */
  private List<Scored> weigh(InstanceIndex.View view, List<Fused> fused, int depth, Optional<TemporalRange> period, String precision) {
    long today = LocalDate.now(clock).toEpochDay();
    List<Scored> out = new ArrayList<>(Math.min(depth, fused.size()));
    for (Fused f : fused.subList(0, Math.min(depth, fused.size()))) {
      StoredMemory m = view.stored(f.doc());
      double confidence = 0.8 + 0.2 * Math.clamp(m.confidence(), 0, 1);
      double age = Math.max(0, today - m.eventDay());
      double recency = 0.9 + 0.1 * Math.pow(0.5, age / settings.recencyHalfLifeDays());
      double inPeriod = period.map(p -> p.contains(m.eventDay()) ? 1.0 : settings.outOfRangeFactor()).orElse(1.0);
      out.add(new Scored(f.doc(), m.memoryId(), f.score() * confidence * recency * inPeriod, f.similarity(), f.source()));
    }
    out.sort(Comparator.comparingDouble(Scored::relevance).reversed());
    // Medium precision (the official client's other level) keeps the far candidates: more recall.
    double share = ContextQuery.MEDIUM_PRECISION.equals(precision) ? 0 : settings.relativeFloor();
    double floor = out.isEmpty() ? 0 : out.getFirst().relevance() * share;
    out.removeIf(s -> s.relevance() < floor);
    return out;
  }

  private List<Scored> diversify(InstanceIndex.View view, List<Scored> scored) {
    int head = Math.min(scored.size(), 50);
    List<Double> rel = new ArrayList<>(head);
    List<float[]> vectors = new ArrayList<>(head);
    double top = head == 0 ? 1 : Math.max(1e-9, scored.getFirst().relevance());
    for (Scored s : scored.subList(0, head)) {
      rel.add(s.relevance() / top);
      vectors.add(view.vector(s.doc()));
    }
    List<Scored> out = new ArrayList<>(scored.size());
    for (int i : Diversity.order(rel, vectors, settings.mmrLambda())) out.add(scored.get(i));
    out.addAll(scored.subList(head, scored.size()));
    return out;
  }

  /**
   * Reads the ranked memories from the store, best first, until {@code wanted} of them are current
   * and fit the token budget as {@link TokenBudget#fit} will take them (a fast fetch returns at
   * most its max results, so reading every candidate would be wasted); anything missing or no
   * longer current is left out.
   */
  private List<ContextItem> hydrate(String instanceId, List<Scored> scored, int wanted, int budget) {
    List<ContextItem> out = new ArrayList<>(Math.min(scored.size(), wanted));
    int page = wanted == Integer.MAX_VALUE ? scored.size() : Math.max(8, wanted * 2);
    int fitting = 0;
    int used = 0;
    for (int from = 0; from < scored.size() && fitting < wanted; from += page) {
      List<Scored> slice = scored.subList(from, Math.min(scored.size(), from + page));
      Map<String, Memory> byId = new HashMap<>();
      for (Memory m : memories.getAll(instanceId, slice.stream().map(Scored::memoryId).toList())) byId.put(m.memoryId(), m);
      for (Scored s : slice) {
        Memory m = byId.get(s.memoryId());
        if (m == null || !m.isCurrent()) {
          index.statusChanged(instanceId, s.memoryId(), m == null ? "deleted" : m.status()); // heal the stale index entry
          continue;
        }
        ContextItem item = new ContextItem(m, Math.clamp(s.relevance(), 0, 1), Math.clamp(s.similarity(), 0, 1), s.source(),
            Tokens.estimate(m.content()));
        out.add(item);
        if (used + item.tokens() <= budget) {
          used += item.tokens();
          fitting++;
        }
      }
    }
    return out;
  }

}
