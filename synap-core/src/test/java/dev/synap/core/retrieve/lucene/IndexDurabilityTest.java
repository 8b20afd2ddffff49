package dev.synap.core.retrieve.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.MemoryEngine;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.tenant.RelationshipMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index survives restarts without a rebuild: a clean stop commits it, single-memory edits and
 * deletions keep it in step with the store, and after a SIGKILL only what changed since its last
 * commit is re-indexed. Real engine, store, Lucene and e5 model.
 */
class IndexDurabilityTest {
  @TempDir Path dir;

  @Test
  void aCleanRestartAfterEditsAndDeletionsNeitherRebuildsNorReplays() throws Exception {
    String instance;
    try (MemoryEngine engine = IndexCrashChild.open(dir)) {
      instance = engine.tenancy().bootstrap(RelationshipMode.B2C).instance().instanceId();
      for (String thing : IndexCrashChild.BEFORE) IndexCrashChild.say(engine, instance, "I collect " + thing + " from flea markets.");
      assertThat(engine.awaitIdle(Duration.ofSeconds(120))).isTrue();
      List<Memory> all = all(engine, instance);
      engine.writes().delete(instance, all.getFirst().memoryId());
      engine.writes().update(instance, all.getLast().memoryId(), "I collect seashells from beaches.");
      assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
    }
    try (MemoryEngine engine = IndexCrashChild.open(dir)) {
      assertThat(engine.index().stats().rebuilds()).isZero();
      assertThat(engine.index().stats().replayed()).isZero();
      assertThat(engine.index().ready(instance)).isTrue();
      assertThat(engine.index().forInstance(instance).searchableCount()).isEqualTo(engine.store().memories().count(instance));
      assertThat(top(engine, instance, "seashells")).contains("seashells");
    }
  }

  @Test
  void afterKillNineOnlyWhatChangedSinceTheLastCommitIsReindexed() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), IndexCrashChild.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String[] written = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("WRITTEN ")) {
          written = line.split(" ");
          // SIGKILL: no shutdown hooks, no index commit. (Process.destroyForcibly would also close our pipe.)
          new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
        }
      }
    }
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(written).as("the child reached its crash point").isNotNull();
    String instance = written[1];
    String edited = written[2];
    String deleted = written[3];

    try (MemoryEngine engine = IndexCrashChild.open(dir)) {
      MemoryIndex.Stats stats = engine.index().stats();
      assertThat(stats.rebuilds()).isZero();
      // The three new memories, the edited and the deleted one: not the memories committed before.
      assertThat(stats.replayed()).isBetween((long) IndexCrashChild.AFTER.length + 2, (long) IndexCrashChild.AFTER.length * 2 + 2);
      assertThat(engine.index().notYetIndexed(instance)).isEmpty(); // answered by the index itself, not the store bridge
      assertThat(engine.index().forInstance(instance).searchableCount()).isEqualTo(engine.store().memories().count(instance));
      for (String thing : IndexCrashChild.AFTER) assertThat(top(engine, instance, thing)).contains(thing);
      assertThat(top(engine, instance, "seashells")).contains("seashells");
      // The index itself no longer matches the edited memory's old words, nor holds the deleted one.
      assertThat(indexMatches(engine, instance, "stamps")).doesNotContain(edited);
      assertThat(indexMatches(engine, instance, "seashells")).contains(edited);
      assertThat(indexMatches(engine, instance, "violins")).doesNotContain(deleted);
    }
  }

  /** Memory ids whose index entry matches the word (BM25 over the index alone, every scope and status). */
  private static List<String> indexMatches(MemoryEngine engine, String instance, String word) {
    InstanceIndex idx = engine.index().forInstance(instance);
    try (InstanceIndex.View view = idx.view()) {
      return view.lexical(idx.analyze(word), new MatchAllDocsQuery(), 100).stream().map(h -> view.stored(h.doc()).memoryId()).toList();
    }
  }

  private static List<Memory> all(MemoryEngine engine, String instance) {
    return engine.store().memories().list(new MemoryFilter(instance, null, null, null, null, Set.of(), true), 1000, 0);
  }

  private static String top(MemoryEngine engine, String instance, String word) {
    var items = engine.retriever().retrieve(new ContextQuery(instance, Scope.USER, null, "ann", null, List.of(word), Set.of(), 1, "fast", 4096)).items();
    return items.isEmpty() ? "" : items.getFirst().memory().content();
  }

}
