package dev.synap.core.retrieve.lucene;

import dev.synap.core.MemoryEngine;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Memory;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Child process for {@link IndexDurabilityTest}: writes memories until the index committed them,
 * then, with the indexer paused, more writes the store commits but the index never sees; prints
 * WRITTEN and waits to be killed with SIGKILL. Not a test itself.
 */
public final class IndexCrashChild {
  static final MemoryIndex.Durability FAST_COMMITS = new MemoryIndex.Durability(Duration.ofMillis(500), 100_000, Duration.ofMillis(200));
  static final String[] BEFORE = {"stamps", "violins", "cacti", "kites", "lanterns", "marbles", "sailboats", "teapots"};
  static final String[] AFTER = {"zeppelins", "harpsichords", "quokkas"};

  public static void main(String[] args) throws Exception {
    MemoryEngine engine = open(Path.of(args[0]));
    String instance = engine.tenancy().bootstrap(RelationshipMode.B2C).instance().instanceId();
    for (String thing : BEFORE) say(engine, instance, "I collect " + thing + " from flea markets.");
    if (!engine.awaitIdle(Duration.ofSeconds(120))) throw new IllegalStateException("not idle");
    Thread.sleep(2_500); // several commit intervals: the committed position covers every write so far

    engine.index().pause(); // from here the store commits what the index never applies before the crash
    for (String thing : AFTER) say(engine, instance, "I collect " + thing + " from flea markets.");
    while (engine.ingest().queueDepth() > 0 || engine.store().messages().queueDepth() > 0) Thread.sleep(10);
    List<Memory> all = engine.store().memories().list(new MemoryFilter(instance, null, null, null, null, Set.of(), true), 1000, 0);
    Memory edited = all.stream().filter(m -> m.content().contains("stamps")).findFirst().orElseThrow();
    Memory deleted = all.stream().filter(m -> m.content().contains("violins")).findFirst().orElseThrow();
    engine.writes().update(instance, edited.memoryId(), "I collect seashells from beaches.");
    engine.writes().delete(instance, deleted.memoryId());
    System.out.println("WRITTEN " + instance + " " + edited.memoryId() + " " + deleted.memoryId());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  static MemoryEngine open(Path dir) {
    return MemoryEngine.open(new MemoryEngine.Config(dir, 1, 1_000, null), MemoryEngine.RetrievalConfig.defaults().withDurability(FAST_COMMITS),
        CompactionSettings.defaults().withoutAuto());
  }

  static void say(MemoryEngine engine, String instance, String text) {
    engine.ingest().record(new RecordRequest(instance, "conv-ann", "ann", null, "s1", "user", "message", text, Map.of(),
        Instant.parse("2025-03-01T10:00:00Z"), null));
  }
}
