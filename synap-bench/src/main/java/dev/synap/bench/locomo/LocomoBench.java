package dev.synap.bench.locomo;

import dev.synap.bench.Percentiles;
import dev.synap.bench.locomo.LocomoData.Conversation;
import dev.synap.bench.locomo.LocomoData.Question;
import dev.synap.core.MemoryEngine;
import dev.synap.core.embed.CachingEmbedder;
import dev.synap.core.embed.E5SmallEmbedder;
import dev.synap.core.embed.Embedder;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.Retriever;
import dev.synap.core.retrieve.rank.LearnedRanker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * LoCoMo evidence-recall benchmark of the real engine against raw-turn baselines.
 *
 * <p>Per conversation ({@link Replay}): a fresh engine in a temporary data folder and a fresh instance; every turn
 * is recorded through the ingest pipeline with the session's date-time as {@code occurredAt}
 * (plus one second per turn, to keep order), the session as {@code sessionId}, and the speaker's
 * name and the turn's {@code dia_id} as message metadata, so each memory maps back to its turn
 * through {@code sourceMessageIds}. Both speakers are recorded under ONE user id, the
 * conversation's owner, and questions are asked in that user's scope: LoCoMo questions name
 * either speaker, so the honest single-user reading is "the owner remembers the whole dialog".
 */
public final class LocomoBench {
  static final List<String> MODES = List.of("fast", "accurate");
  /** The mode whose numbers are the headline ({@code overall}, {@code by_category}). */
  static final String HEADLINE = "accurate";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

  private final PrintStream progress;
  private final MemoryEngine.RetrievalConfig retrieval;
  private final ModeCards ours = new ModeCards();
  /** {@code --ablate}: per item, the same questions on the same memories with that item switched off. */
  private final Map<String, ModeCards> ablations = new LinkedHashMap<>();
  /** A learned-ranker model to measure instead of the shipped one ({@code --ranker-model}); empty: the engine's own retriever. */
  private final Optional<LearnedRanker> model;
  private final Map<String, List<Double>> latency = new LinkedHashMap<>();
  private final Scorecard bm25 = new Scorecard();
  private final Scorecard dense = new Scorecard();
  private final Embedder baselineEmbedder = new CachingEmbedder(new E5SmallEmbedder(), 10_000);
  private int evaluated;
  private int skipped;
  private int turns;
  private long memories;
  private double ingestSeconds;

  private LocomoBench(MemoryEngine.RetrievalConfig retrieval, Optional<LearnedRanker> model, List<String> ablate, PrintStream progress) {
    this.retrieval = retrieval;
    this.model = model;
    this.progress = progress;
    for (String item : ablate) ablations.put(item, new ModeCards());
    for (String mode : MODES) {
      latency.put(mode, new ArrayList<>());
    }
  }

  /** The machine-readable results and the same numbers as a table for people. */
  public record Report(Map<String, Object> json, String table) {}

  /**
   * Runs the benchmark over the conversations of {@code split} (and of {@code only}, unless empty), the first {@code maxConversations}
   * of them (0 = all), with these index and ranking settings, and returns the report.
   */
  static Report run(Path data, Split split, List<String> only, int maxConversations, MemoryEngine.RetrievalConfig retrieval,
      Optional<LearnedRanker> model, List<String> ablate, PrintStream progress) throws IOException, InterruptedException {
    List<Conversation> conversations = LocomoData.read(data).stream().filter(c -> split.includes(c.sampleId()))
        .filter(c -> only.isEmpty() || only.contains(c.sampleId())).toList();
    if (maxConversations > 0 && maxConversations < conversations.size()) conversations = conversations.subList(0, maxConversations);
    LocomoBench bench = new LocomoBench(retrieval, model, ablate, progress);
    for (int i = 0; i < conversations.size(); i++) {
      Conversation c = conversations.get(i);
      progress.printf("[%d/%d] %s: %d turns, %d questions%n", i + 1, conversations.size(), c.sampleId(), c.turnCount(), c.questions().size());
      bench.evaluate(c);
    }
    return bench.report(data, split, conversations.stream().map(Conversation::sampleId).toList());
  }

  private void evaluate(Conversation c) throws IOException, InterruptedException {
    try (Replay replay = Replay.of(c, retrieval, progress)) {
      MemoryEngine engine = replay.engine;
      ingestSeconds += replay.seconds;
      turns += c.turnCount();
      memories += replay.memories;

      Retriever retriever = model.isEmpty() ? engine.retriever() : engine.retrieverFor(retrieval.withClock(Replay.askedOn(c)), model);
      Map<String, EngineRanker> rankers = new LinkedHashMap<>();
      for (String mode : MODES) rankers.put(mode, new EngineRanker(retriever, replay.instanceId, replay.owner, mode, replay.diaIdByMessage, replay.dayByMessage));
      warmUp(c, rankers);
      for (Question q : c.questions()) {
        if (q.evidence().isEmpty()) {
          skipped++;
          continue;
        }
        evaluated++;
        for (var e : rankers.entrySet()) {
          long t0 = System.nanoTime();
          ContextResult result = e.getValue().fetch(q.text());
          latency.get(e.getKey()).add((System.nanoTime() - t0) / 1e6);
          ours.add(e.getKey(), c.sampleId(), q.category(), e.getValue().toTurns(result), q.evidence());
        }
      }
      for (var a : ablations.entrySet()) {
        progress.printf("  without %s...%n", a.getKey());
        MemoryEngine.RetrievalConfig without = Without.apply(retrieval.withClock(Replay.askedOn(c)), List.of(a.getKey()));
        // A model given with --ranker-model stands in for the shipped one in every variant that keeps the ranker.
        Retriever variant = model.isEmpty() ? engine.retrieverFor(without)
            : engine.retrieverFor(without, without.ranking().learnedRanker() ? model : Optional.empty());
        for (String mode : MODES) {
          EngineRanker r = new EngineRanker(variant, replay.instanceId, replay.owner, mode, replay.diaIdByMessage, replay.dayByMessage);
          for (Question q : c.questions()) {
            if (!q.evidence().isEmpty()) a.getValue().add(mode, c.sampleId(), q.category(), r.rank(q.text()), q.evidence());
          }
        }
      }
    }
    progress.println("  baselines (BM25 and dense over raw turns)...");
    List<TurnBaselines.Doc> docs = TurnBaselines.documents(c);
    TurnRanker lexical = TurnBaselines.bm25(docs);
    TurnRanker vector = TurnBaselines.dense(docs, baselineEmbedder);
    for (Question q : c.questions()) {
      if (q.evidence().isEmpty()) continue;
      bm25.add(q.category(), lexical.rank(q.text()), q.evidence());
      dense.add(q.category(), vector.rank(q.text()), q.evidence());
    }
  }

  /** The first queries pay for class loading and JIT; keep them out of the latency samples. */
  private static void warmUp(Conversation c, Map<String, EngineRanker> rankers) {
    for (Question q : c.questions().subList(0, Math.min(5, c.questions().size()))) {
      for (EngineRanker r : rankers.values()) r.fetch(q.text() + " warm-up");
    }
  }

  static String day(LocalDateTime at) {
    return at.format(DAY);
  }

  private Report report(Path data, Split split, List<String> conversations) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("data", data.toString());
    r.put("split", split.toString());
    r.put("conversations", conversations.size());
    r.put("conversation_ids", conversations);
    r.put("questions_evaluated", evaluated);
    r.put("questions_skipped_no_evidence", skipped);
    r.put("headline_mode", HEADLINE);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("index_text", retrieval.indexText().toString());
    settings.put("ranking", retrieval.ranking().toString());
    settings.put("questions", retrieval.questions().toString());
    settings.put("graph", retrieval.graph().toString());
    settings.put("ranker_model", !retrieval.ranking().learnedRanker() ? "off" : model.isPresent() ? "given with --ranker-model" : "shipped");
    r.put("settings", settings);
    r.putAll(ours.byMode.get(HEADLINE).json());
    r.put("modes", ours.modesJson());
    if (split == Split.ALL) {
      r.put("by_split", ours.splitsJson());
    }
    if (!ablations.isEmpty()) {
      Map<String, Object> without = new LinkedHashMap<>();
      ablations.forEach((item, cards) -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modes", cards.modesJson());
        if (split == Split.ALL) m.put("by_split", cards.splitsJson());
        without.put(item, m);
      });
      r.put("without_each", without);
    }
    Map<String, Object> baselines = new LinkedHashMap<>();
    baselines.put("bm25", bm25.json());
    baselines.put("dense", dense.json());
    r.put("baselines", baselines);
    r.put("ratios_recall@10", ratios());
    Map<String, Object> lat = new LinkedHashMap<>();
    latency.forEach((mode, samples) -> lat.put(mode, Percentiles.of(samples).json()));
    r.put("latency_ms", lat);
    Map<String, Object> ingest = new LinkedHashMap<>();
    ingest.put("turns", turns);
    ingest.put("memories", memories);
    ingest.put("seconds", Math.round(ingestSeconds * 10) / 10.0);
    r.put("ingest", ingest);
    String table = BenchTable.render(ours.byMode, bm25, dense, latency) + String.format("%nquestions evaluated: %d, skipped (no valid evidence): %d%n", evaluated, skipped);
    return new Report(r, table);
  }

  /** Ours (headline mode) divided by each baseline, recall@10, per category and overall. */
  private Map<String, Object> ratios() {
    Map<String, Object> out = new LinkedHashMap<>();
    Scorecard head = ours.byMode.get(HEADLINE);
    head.byCategory().forEach((c, m) -> out.put(String.valueOf(c), ratioPair(m, bm25.byCategory().get(c), dense.byCategory().get(c))));
    out.put("overall", ratioPair(head.overall(), bm25.overall(), dense.overall()));
    out.put("overall_no_adversarial", ratioPair(head.overallNoAdversarial(), bm25.overallNoAdversarial(), dense.overallNoAdversarial()));
    return out;
  }

  private static Map<String, Object> ratioPair(Scorecard.Metrics o, Scorecard.Metrics b, Scorecard.Metrics d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vs_bm25", b.recallAt10() == 0 ? null : Math.round(o.recallAt10() / b.recallAt10() * 1000) / 1000.0);
    m.put("vs_dense", d.recallAt10() == 0 ? null : Math.round(o.recallAt10() / d.recallAt10() * 1000) / 1000.0);
    return m;
  }

}
