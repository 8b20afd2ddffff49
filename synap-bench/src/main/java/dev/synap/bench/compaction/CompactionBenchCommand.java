package dev.synap.bench.compaction;

import dev.synap.bench.locomo.LocomoData;
import dev.synap.bench.Percentiles;
import dev.synap.core.MemoryEngine;
import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionRequest;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.compact.Strategy;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synap bench compaction}: compacts each LoCoMo conversation with every strategy in an
 * embedded engine (offline extractive summarizer) and measures the achieved ratio against the
 * target, the validation score, how many questions keep their evidence (category 5, adversarial,
 * left out: its evidence is the trap's source), and the time per compaction.
 */
@Command(name = "compaction", mixinStandardHelpOptions = true, description = "Compaction ratio, validation score and evidence retention on LoCoMo.")
public final class CompactionBenchCommand implements Callable<Integer> {
  private static final List<Strategy> STRATEGIES = List.of(Strategy.CONSERVATIVE, Strategy.BALANCED, Strategy.AGGRESSIVE, Strategy.ADAPTIVE);

  @Option(names = "--data", paramLabel = "FILE", description = "LoCoMo JSON file (data/locomo10.json from " + LocomoData.PUBLISHED_AT + ", or a subset of its samples).")
  Path data;

  @Option(names = "--out", description = "Write the results as JSON to this file.")
  Path out;

  /** One compaction's measurements. */
  private record Run(double ratio, double targetRatio, double validation, int questions, int retained, int retainedStrict, double millis, Strategy used) {}

  @Override
  public Integer call() throws Exception {
    if (!LocomoData.given(data, "synap bench compaction")) return 2;
    List<LocomoConversation> conversations = LocomoConversation.read(data);
    Path dir = Files.createTempDirectory("synap-bench-compaction");
    Map<String, Object> result = new LinkedHashMap<>();
    try (MemoryEngine engine = MemoryEngine.open(new MemoryEngine.Config(dir, 2, 10_000_000), CompactionSettings.defaults().withoutAuto())) {
      String instanceId = engine.tenancy().createInstance("bench", RelationshipMode.B2C).instanceId();
      Map<LocomoConversation, String> ids = new LinkedHashMap<>();
      for (LocomoConversation c : conversations) ids.put(c, record(engine, instanceId, c));
      awaitExtraction(engine);
      for (Strategy s : STRATEGIES) {
        List<Run> runs = new ArrayList<>();
        for (LocomoConversation c : conversations) runs.add(measure(engine, instanceId, ids.get(c), c, s));
        result.put(s.wireName(), summary(runs));
      }
      result.put("conversations", conversations.size());
      result.put("turns", conversations.stream().mapToInt(c -> c.turns().size()).sum());
      result.put("summarizer", "extractive");
      result.put("evidence_present_rule", "question retained when every evidence turn has >= 60% of its salient words (4+ letters or digits, minus common words) in the compacted text; category 5 excluded; strict: within one line of the compacted text");
    } finally {
      dev.synap.bench.BenchFiles.deleteQuietly(dir);
    }
    print(result);
    dev.synap.bench.BenchFiles.writeJson(out, result);
    return 0;
  }

  /** Records every turn with its session date; speaker A is the user, speaker B the assistant. */
  private static String record(MemoryEngine engine, String instanceId, LocomoConversation c) {
    String conversationId = UUID.randomUUID().toString();
    List<RecordRequest> batch = new ArrayList<>();
    for (LocomoConversation.Turn t : c.turns()) {
      String role = t.speaker().equals(c.speakerA()) ? "user" : "assistant";
      batch.add(new RecordRequest(instanceId, conversationId, "locomo-" + c.sampleId(), null, null, role, "message", t.text(),
          Map.of("speaker", t.speaker(), "dia_id", t.diaId()), t.at(), c.sampleId() + ":" + t.diaId()));
      if (batch.size() == 100) {
        engine.ingest().recordAll(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) engine.ingest().recordAll(batch);
    return conversationId;
  }

  private static void awaitExtraction(MemoryEngine engine) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (engine.ingest().queueDepth() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
  }

  private static Run measure(MemoryEngine engine, String instanceId, String conversationId, LocomoConversation c, Strategy s) {
    long t0 = System.nanoTime();
    Compaction done = engine.compactions().compactNow(new CompactionRequest(instanceId, conversationId, s, null, true, CompactionRequest.MANUAL));
    double millis = (System.nanoTime() - t0) / 1e6;
    if (!done.isCompleted()) throw new IllegalStateException("compaction of " + c.sampleId() + " failed: " + done.error());
    EvidencePresence presence = new EvidencePresence(done.result().summary());
    Map<String, LocomoConversation.Turn> turns = c.turnsById();
    int questions = 0;
    int retained = 0;
    int strict = 0;
    for (LocomoConversation.Question q : c.questions()) {
      if (q.category() == 5 || q.evidence().isEmpty()) continue;
      questions++;
      if (q.evidence().stream().allMatch(id -> presence.present(turns.get(id).text()))) retained++;
      if (q.evidence().stream().allMatch(id -> presence.presentTogether(turns.get(id).text()))) strict++;
    }
    Strategy used = done.result().strategyUsed();
    System.err.printf("  %-12s %-8s %-12s ratio %.3f  validation %.3f  evidence %d/%d  %.0f ms%n", s.wireName(), c.sampleId(), used.wireName(),
        done.result().compressionRatio(), done.result().validationScore(), retained, questions, millis);
    return new Run(done.result().compressionRatio(), used.keepRatio(), done.result().validationScore(), questions, retained, strict, millis, used);
  }

  private static Map<String, Object> summary(List<Run> runs) {
    Percentiles ms = new Percentiles();
    runs.forEach(r -> ms.add(r.millis()));
    int questions = runs.stream().mapToInt(Run::questions).sum();
    int retained = runs.stream().mapToInt(Run::retained).sum();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ratio", Percentiles.round(runs.stream().mapToDouble(Run::ratio).average().orElse(0)));
    m.put("target_ratio", Percentiles.round(runs.stream().mapToDouble(Run::targetRatio).average().orElse(0)));
    m.put("validation_score", Percentiles.round(runs.stream().mapToDouble(Run::validation).average().orElse(0)));
    m.put("evidence_retained", Percentiles.round(questions == 0 ? 0 : (double) retained / questions));
    m.put("evidence_retained_strict", Percentiles.round(questions == 0 ? 0 : (double) runs.stream().mapToInt(Run::retainedStrict).sum() / questions));
    m.put("ms_p50", Percentiles.round(ms.percentile(50)));
    m.put("questions", questions);
    m.put("strategies_used", runs.stream().map(r -> r.used().wireName()).toList());
    return m;
  }

  @SuppressWarnings("unchecked")
  private static void print(Map<String, Object> result) {
    System.out.printf("%-13s %8s %8s %11s %9s %9s %9s%n", "strategy", "ratio", "target", "validation", "evidence", "strict", "ms p50");
    for (Strategy s : STRATEGIES) {
      Map<String, Object> m = (Map<String, Object>) result.get(s.wireName());
      System.out.printf("%-13s %8.3f %8.3f %11.3f %9.3f %9.3f %9.1f%n", s.wireName(), m.get("ratio"), m.get("target_ratio"), m.get("validation_score"),
          m.get("evidence_retained"), m.get("evidence_retained_strict"), m.get("ms_p50"));
    }
  }

}
