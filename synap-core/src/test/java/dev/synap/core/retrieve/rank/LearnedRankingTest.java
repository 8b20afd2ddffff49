package dev.synap.core.retrieve.rank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.MemoryEngine;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.Retriever;
import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learned ranker inside retrieval (real pipeline, store, index and model): it only re-orders
 * the fused head, so the same memories come back on the hand-set scale, and the same question
 * gives the same answer every time.
 */
class LearnedRankingTest {
  @TempDir Path dir;
  MemoryEngine engine;
  MemoryEngine.RetrievalConfig on;
  String instance;

  @BeforeEach
  void open() throws InterruptedException {
    on = MemoryEngine.RetrievalConfig.defaults();
    on = on.withRanking(on.ranking().withLearnedRanker(true));
    engine = MemoryEngine.open(new MemoryEngine.Config(dir, 1, 1_000, null), on, CompactionSettings.defaults());
    instance = engine.tenancy().createInstance("test", RelationshipMode.B2C).instanceId();
    String[] turns = {"We adopted a golden retriever puppy last month.", "The quarterly budget report is due on Friday.",
        "My car needs new tyres before winter.", "The printer at the office jammed again.", "Our puppy chewed my running shoes yesterday.",
        "I started pottery classes on Tuesdays.", "My sister Ana lives in Lisbon.", "We are planning a trip to Kyoto in April."};
    for (int i = 0; i < turns.length; i++) {
      engine.ingest().record(new RecordRequest(instance, "c", "alice", null, "s1", "user", "message", turns[i], Map.of(),
          Instant.parse("2024-01-10T10:00:00Z").plusSeconds(60L * i), null));
    }
    assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void theRankerReordersTheSameMemoriesOnTheHandSetScaleAndDoesSoEveryTime() {
    Retriever handSet = engine.retrieverFor(on, Optional.empty());
    for (String mode : List.of("fast", "accurate")) {
      ContextQuery q = new ContextQuery(instance, Scope.USER, null, "alice", null, List.of("What did the puppy do?"), Set.of(), 20, mode, 100_000);
      ContextResult learned = engine.retriever().retrieve(q);
      ContextResult plain = handSet.retrieve(q);
      assertThat(ids(learned)).as(mode).containsExactlyInAnyOrderElementsOf(ids(plain));
      assertThat(learned.items()).extracting(ContextItem::relevance).as(mode).allSatisfy(r -> assertThat(r).isBetween(0.0, 1.0));
      assertThat(learned.items().getFirst().relevance()).as(mode + ": the best keeps the hand-set best score")
          .isEqualTo(plain.items().stream().mapToDouble(ContextItem::relevance).max().orElseThrow());
      assertThat(ids(engine.retriever().retrieve(q))).as(mode).containsExactlyElementsOf(ids(learned));
      assertThat(learned.items().getFirst().memory().content()).as(mode).contains("puppy");
    }
  }

  private static List<String> ids(ContextResult r) {
    return r.items().stream().map(i -> i.memory().memoryId()).toList();
  }
}
