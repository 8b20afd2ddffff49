package dev.synap.bench.scale;

import dev.synap.bench.Percentiles;
import dev.synap.bench.TempDirs;
import dev.synap.core.MemoryEngine;
import dev.synap.core.embed.Embedder;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.lucene.IndexedMemory;
import dev.synap.core.retrieve.lucene.InstanceIndex;
import dev.synap.core.tenant.RelationshipMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Fetch latency and index footprint as an instance grows: seeded synthetic memories spread over
 * many users are written to the store and the index, and at each checkpoint random users ask
 * random questions in {@code fast} mode (each question is embedded for real; only the memories'
 * embeddings are drawn from a pre-embedded pool of sentences, so that loading 100k memories does
 * not take half an hour of model time on a small machine).
 */
public final class ScaleBench {
  private static final int POOL = 1_500;
  private static final int BATCH = 2_000;

  /** @param checkpoints memory counts at which to measure, ascending */
  public record Settings(long seed, int users, List<Integer> checkpoints, int queries) {}

  private ScaleBench() {}

  public static Map<String, Object> run(Settings s, PrintStream progress) throws IOException {
    Path dir = Files.createTempDirectory("synap-scale-");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("seed", s.seed());
    report.put("users", s.users());
    List<Map<String, Object>> points = new ArrayList<>();
    try (MemoryEngine engine = MemoryEngine.open(new MemoryEngine.Config(dir, 1, 1_000))) {
      String instanceId = engine.tenancy().createInstance("scale", RelationshipMode.B2C).instanceId();
      InstanceIndex index = engine.index().forInstance(instanceId);
      Embedder embedder = engine.index().embedder();
      progress.printf("embedding a pool of %d sentences...%n", POOL);
      List<String> pool = SyntheticMemories.pool(s.seed(), POOL);
      List<float[]> vectors = new ArrayList<>();
      for (int i = 0; i < pool.size(); i += 64) vectors.addAll(embedder.embedPassages(pool.subList(i, Math.min(pool.size(), i + 64))));
      Random r = new Random(s.seed());
      int loaded = 0;
      Instant base = Instant.parse("2025-01-01T00:00:00Z");
      for (int target : s.checkpoints()) {
        while (loaded < target) {
          int n = Math.min(BATCH, target - loaded);
          List<Memory> batch = new ArrayList<>(n);
          List<IndexedMemory> indexed = new ArrayList<>(n);
          for (int i = 0; i < n; i++, loaded++) {
            int p = r.nextInt(pool.size());
            Instant at = base.plusSeconds(r.nextInt(2 * 365 * 86_400));
            String user = "user-" + (loaded % s.users());
            Memory m = new Memory(new UUID(s.seed(), loaded).toString(), instanceId, user, null, "conv-" + user, Scope.USER, MemoryType.FACT,
                pool.get(p), 0.8, null, Map.of(), null, null, "perpetual", List.of(), "current", at, at);
            batch.add(m);
            indexed.add(new IndexedMemory(m, m.content(), at.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay(), vectors.get(p), vectors.get(p)));
          }
          engine.store().memories().insert(batch);
          engine.index().indexPrepared(instanceId, indexed);
          progress.printf("\r  loaded %,d / %,d memories", loaded, target);
        }
        progress.println();
        points.add(measure(engine, index, instanceId, s, r, loaded, progress));
      }
    } finally {
      TempDirs.delete(dir);
    }
    report.put("checkpoints", points);
    return report;
  }

  private static Map<String, Object> measure(MemoryEngine engine, InstanceIndex index, String instanceId, Settings s, Random r, int loaded,
      PrintStream progress) {
    List<Double> millis = latencies(engine, instanceId, s, r, "fast");
    List<Double> accurate = latencies(engine, instanceId, s, r, "accurate");
    Runtime rt = Runtime.getRuntime();
    System.gc();
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("memories", loaded);
    point.put("fast_latency_ms", Percentiles.of(millis).json());
    point.put("accurate_latency_ms", Percentiles.of(accurate).json());
    point.put("index_bytes_on_disk", index.sizeOnDisk());
    point.put("jvm_heap_used_bytes", rt.totalMemory() - rt.freeMemory());
    Percentiles p = Percentiles.of(millis);
    Percentiles a = Percentiles.of(accurate);
    progress.printf("  %,d memories: fast fetch p50 %.2f ms, p95 %.2f ms, p99 %.2f ms; accurate p50 %.2f ms, p99 %.2f ms; index %.1f MB on disk "
        + "(memory-mapped), heap %.0f MB%n", loaded, p.p50(), p.p95(), p.p99(), a.p50(), a.p99(), index.sizeOnDisk() / 1e6,
        (rt.totalMemory() - rt.freeMemory()) / 1e6);
    return point;
  }

  /** Fetch latencies in one mode, after 50 unmeasured fetches (JIT and page cache). */
  private static List<Double> latencies(MemoryEngine engine, String instanceId, Settings s, Random r, String mode) {
    for (int i = 0; i < 50; i++) fetch(engine, instanceId, s, r, mode);
    List<Double> millis = new ArrayList<>(s.queries());
    for (int i = 0; i < s.queries(); i++) {
      long t0 = System.nanoTime();
      fetch(engine, instanceId, s, r, mode);
      millis.add((System.nanoTime() - t0) / 1e6);
    }
    return millis;
  }

  private static void fetch(MemoryEngine engine, String instanceId, Settings s, Random r, String mode) {
    String user = "user-" + r.nextInt(s.users());
    engine.retriever().retrieve(new ContextQuery(instanceId, Scope.USER, null, user, null, List.of(SyntheticMemories.question(r)), Set.of(), 10,
        mode, 2_000));
  }

}
