package dev.synap.bench.locomo;

import dev.synap.bench.Percentiles;
import dev.synap.bench.locomo.LocomoData.Conversation;
import dev.synap.bench.locomo.LocomoData.Question;
import dev.synap.bench.locomo.LocomoData.Session;
import dev.synap.bench.locomo.LocomoData.Turn;
import dev.synap.bench.TempDirs;
import dev.synap.core.MemoryEngine;
import dev.synap.core.embed.CachingEmbedder;
import dev.synap.core.embed.E5SmallEmbedder;
import dev.synap.core.embed.Embedder;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.ingest.Recorded;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.tenant.RelationshipMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LoCoMo evidence-recall benchmark of the real engine against raw-turn baselines.
 *
 * <p>Per conversation: a fresh engine in a temporary data folder and a fresh instance; every turn
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
  private final Map<String, Scorecard> ours = new LinkedHashMap<>();
  private final Map<String, List<Double>> latency = new LinkedHashMap<>();
  private final Scorecard bm25 = new Scorecard();
  private final Scorecard dense = new Scorecard();
  private final Embedder baselineEmbedder = new CachingEmbedder(new E5SmallEmbedder(), 10_000);
  private int evaluated;
  private int skipped;
  private int turns;
  private long memories;
  private double ingestSeconds;

  private LocomoBench(MemoryEngine.RetrievalConfig retrieval, PrintStream progress) {
    this.retrieval = retrieval;
    this.progress = progress;
    for (String mode : MODES) {
      ours.put(mode, new Scorecard());
      latency.put(mode, new ArrayList<>());
    }
  }

  /** The machine-readable results and the same numbers as a table for people. */
  public record Report(Map<String, Object> json, String table) {}

  /**
   * Runs the benchmark over the conversations of {@code split} (and of {@code only}, unless empty), the first {@code maxConversations}
   * of them (0 = all), with these index and ranking settings, and returns the report.
   */
  static Report run(Path data, Split split, List<String> only, int maxConversations, MemoryEngine.RetrievalConfig retrieval, PrintStream progress)
      throws IOException, InterruptedException {
    List<Conversation> conversations = LocomoData.read(data).stream().filter(c -> split.includes(c.sampleId()))
        .filter(c -> only.isEmpty() || only.contains(c.sampleId())).toList();
    if (maxConversations > 0 && maxConversations < conversations.size()) conversations = conversations.subList(0, maxConversations);
    LocomoBench bench = new LocomoBench(retrieval, progress);
    for (int i = 0; i < conversations.size(); i++) {
      Conversation c = conversations.get(i);
      progress.printf("[%d/%d] %s: %d turns, %d questions%n", i + 1, conversations.size(), c.sampleId(), c.turnCount(), c.questions().size());
      bench.evaluate(c);
    }
    return bench.report(data, split, conversations.stream().map(Conversation::sampleId).toList());
  }

  private void evaluate(Conversation c) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("synap-locomo-");
    // One extraction worker: with two, a later turn was sometimes extracted before an earlier one,
    // so which of two similar memories survived consolidation (and the figures) changed from run to run.
    try (MemoryEngine engine = MemoryEngine.open(new MemoryEngine.Config(dir, 1, 100_000), retrieval.withClock(askedOn(c)))) {
      String instanceId = engine.tenancy().createInstance("locomo-" + c.sampleId(), RelationshipMode.B2C).instanceId();
      String owner = "owner-" + c.sampleId();
      Map<String, String> diaIdByMessage = new HashMap<>();
      Map<String, String> dayByMessage = new HashMap<>();
      long start = System.nanoTime();
      for (Session s : c.sessions()) {
        List<RecordRequest> requests = new ArrayList<>();
        for (int t = 0; t < s.turns().size(); t++) requests.add(request(c, s, t, instanceId, owner));
        List<Recorded> recorded = engine.ingest().recordAll(requests);
        for (int t = 0; t < recorded.size(); t++) {
          diaIdByMessage.put(recorded.get(t).messageId(), s.turns().get(t).diaId());
          dayByMessage.put(recorded.get(t).messageId(), day(s.at()));
        }
      }
      progress.printf("  recorded %d turns; extracting and indexing...%n", c.turnCount());
      if (!engine.awaitIdle(Duration.ofMinutes(20))) throw new IllegalStateException("ingestion did not finish in 20 minutes");
      // Replaced index entries (a reinforced or superseded memory) linger as deleted documents in
      // BM25's statistics until a merge, and merges follow timing: purge them, so every run scores alike.
      engine.index().forInstance(instanceId).purgeDeleted();
      double seconds = (System.nanoTime() - start) / 1e9;
      long made = engine.store().memories().count(instanceId);
      progress.printf("  ingested in %.1f s: %d memories from %d turns%n", seconds, made, c.turnCount());
      ingestSeconds += seconds;
      turns += c.turnCount();
      memories += made;

      Map<String, EngineRanker> rankers = new LinkedHashMap<>();
      for (String mode : MODES) rankers.put(mode, new EngineRanker(engine, instanceId, owner, mode, diaIdByMessage, dayByMessage));
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
          ours.get(e.getKey()).add(q.category(), e.getValue().toTurns(result), q.evidence());
        }
      }
    } finally {
      TempDirs.delete(dir);
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

  /** Questions are asked the day after the conversation's last session (recency, "last month"), not on the day of the run. */
  static Clock askedOn(Conversation c) {
    LocalDateTime last = c.sessions().stream().map(Session::at).max(LocalDateTime::compareTo).orElseThrow();
    return Clock.fixed(last.toLocalDate().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  }

  /** The first queries pay for class loading and JIT; keep them out of the latency samples. */
  private static void warmUp(Conversation c, Map<String, EngineRanker> rankers) {
    for (Question q : c.questions().subList(0, Math.min(5, c.questions().size()))) {
      for (EngineRanker r : rankers.values()) r.fetch(q.text() + " warm-up");
    }
  }

  private static RecordRequest request(Conversation c, Session s, int index, String instanceId, String owner) {
    Turn t = s.turns().get(index);
    LocalDateTime at = s.at().plusSeconds(index);
    return new RecordRequest(instanceId, c.sampleId(), owner, null, "session_" + s.number(), "user", "message", t.textWithCaption(),
        Map.of("speaker", t.speaker(), "dia_id", t.diaId()), at.toInstant(ZoneOffset.UTC), c.sampleId() + "/" + t.diaId());
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
    r.put("settings", Map.of("index_text", retrieval.indexText().toString(), "ranking", retrieval.ranking().toString(),
        "questions", retrieval.questions().toString(), "graph", retrieval.graph().toString()));
    r.putAll(ours.get(HEADLINE).json());
    Map<String, Object> modes = new LinkedHashMap<>();
    ours.forEach((mode, card) -> modes.put(mode, card.json()));
    r.put("modes", modes);
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
    String table = BenchTable.render(ours, bm25, dense, latency) + String.format("%nquestions evaluated: %d, skipped (no valid evidence): %d%n", evaluated, skipped);
    return new Report(r, table);
  }

  /** Ours (headline mode) divided by each baseline, recall@10, per category and overall. */
  private Map<String, Object> ratios() {
    Map<String, Object> out = new LinkedHashMap<>();
    Scorecard head = ours.get(HEADLINE);
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
