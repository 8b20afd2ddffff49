package dev.synap.core.retrieve.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.MemoryEngine;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.HybridRetriever;
import dev.synap.core.retrieve.LexicalRetriever;
import dev.synap.core.retrieve.lucene.InstanceIndex;
import dev.synap.core.retrieve.question.QuestionPlans;
import dev.synap.core.retrieve.lucene.ScopeQuery;
import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph walk on a real engine (pipeline, SQLite, Lucene, e5): each kind of edge reaches what
 * it should, within the query's scope, and a question about someone's sister's job reaches the
 * job memory through the stored relations.
 */
class GraphWalkTest {
  @TempDir Path dir;
  MemoryEngine engine;
  String instance;

  @BeforeEach
  void open() {
    engine = MemoryEngine.open(MemoryEngine.Config.defaults(dir));
    instance = engine.tenancy().createInstance("test", RelationshipMode.B2C).instanceId();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aQuestionAboutSomeonesSistersJobReachesTheJobMemoryThroughTheRelations() throws Exception {
    say("alice", "conv-1", "Caroline", "My sister Anna is coming to stay with me next month.", "2024-01-10T10:00:00Z");
    say("alice", "conv-2", "Caroline", "Anna works at Globex Corporation as an engineer.", "2024-02-03T18:00:00Z");
    // Other people's sisters and their work: without the relations nothing says which job is Caroline's sister's.
    String[][] others = {{"Tom", "Kim", "Initech", "plumber"}, {"Lena", "Ida", "Umbrella Corp", "nurse"}, {"Raj", "Pia", "Hooli", "designer"},
        {"Mia", "Eve", "Stark Industries", "accountant"}, {"Omar", "Ada", "Wayne Enterprises", "chef"}, {"Zoe", "Liv", "Acme Corp", "pilot"}};
    for (int i = 0; i < others.length; i++) {
      say("alice", "conv-o" + i, "Caroline", others[i][0] + "'s sister " + others[i][1] + " works at " + others[i][2] + " as a " + others[i][3] + ".",
          "2024-03-0" + (i + 1) + "T09:00:00Z");
    }
    idle();
    String question = "What is Caroline's sister's job?";
    HybridRetriever without = new HybridRetriever(engine.index(), engine.store().memories(), new LexicalRetriever(engine.store().memories()),
        HybridRetriever.Settings.DEFAULT, Clock.systemUTC(), new QuestionPlans(true, null), null); // as the engine's, without the walk
    for (String mode : List.of("fast", "accurate")) {
      List<ContextItem> with = engine.retriever().retrieve(query(question, mode)).items();
      assertThat(rank(with, "Globex")).as(mode + " with relations: " + contents(with)).isBetween(0, 2);
      List<ContextItem> plain = without.retrieve(query(question, mode)).items();
      int plainRank = rank(plain, "Globex");
      assertThat(plainRank < 0 || plainRank > 2).as(mode + " without the walk it is one job among others: " + contents(plain)).isTrue();
    }
  }

  @Test
  void aHitsNeighbouringTurnIsReachedOneHopAway() throws Exception {
    say("alice", "conv-1", "Caroline", "I adopted a puppy from the animal shelter on Saturday.", "2024-01-10T10:00:00Z");
    say("alice", "conv-1", "Caroline", "He is a golden retriever with a very fluffy tail.", "2024-01-10T10:00:01Z");
    say("alice", "conv-2", "Caroline", "The golden retriever next door barks at night.", "2024-05-10T10:00:00Z");
    idle();
    Map<Integer, GraphWalk.Reached> reached = walkFrom("adopted a puppy", "What breed is the puppy from the shelter?", false);
    assertThat(reachedBy(reached, "fluffy tail")).isEqualTo(new GraphHop(1, false, "turn"));
    assertThat(reachedBy(reached, "next door")).as("another conversation is no neighbour").isNull();
  }

  @Test
  void aMemoryNamingTheSameRareEntityIsReachedAndCommonOnesAreNoEdge() throws Exception {
    say("alice", "conv-1", "Caroline", "I took Biscuit to the vet for his shots on Monday.", "2024-01-10T10:00:00Z");
    say("alice", "conv-2", "Caroline", "My dog Biscuit hates the vet and hides under the bed all evening.", "2024-03-02T10:00:00Z");
    say("alice", "conv-3", "Caroline", "I went to the vet school open day with friends.", "2024-04-02T10:00:00Z");
    for (int i = 0; i < 40; i++) say("alice", "conv-n" + i, "Caroline", "I painted landscape number " + i + " this week.", "2024-05-" + (10 + i % 18) + "T10:00:00Z");
    say("bob", "conv-b", "Bob", "Our neighbour's dog Biscuit hates the vet too.", "2024-03-03T10:00:00Z");
    idle();
    Map<Integer, GraphWalk.Reached> reached = walkFrom("took Biscuit", "What happened at the vet?", false);
    assertThat(reachedBy(reached, "hides under the bed")).isEqualTo(new GraphHop(1, false, "entity"));
    assertThat(reachedBy(reached, "vet school")).as("Caroline, the speaker, is named everywhere: no edge").isNull();
    assertThat(reachedBy(reached, "neighbour's dog")).as("bob's memory is outside alice's scope").isNull();
    assertThat(walkFrom("took Biscuit", "What happened at the vet?", true)).as("accurate walks at least as far").containsKeys(
        reached.keySet().toArray(Integer[]::new));
  }

  @Test
  void aPersonTheQuestionNamesLeadsToTheMemoriesAboutThem() throws Exception {
    say("alice", "conv-1", "Melanie", "We camped at the beach last summer and the kids loved it.", "2024-01-10T10:00:00Z");
    say("alice", "conv-1", "Caroline", "I camped in the desert once and hated the heat.", "2024-01-10T10:05:00Z");
    say("alice", "conv-2", "Melanie", "I painted a sunrise over the lake for my mom.", "2024-02-10T10:00:00Z");
    say("alice", "conv-3", "Caroline", "I went to a support group meeting on Tuesday evening.", "2024-03-10T10:00:00Z");
    idle();
    String question = "Where has Melanie camped?";
    Map<Integer, GraphWalk.Reached> reached = walkFrom("support group", question, false, engine.index().embedder().embedQuery(question));
    assertThat(reachedBy(reached, "beach")).isEqualTo(new GraphHop(1, false, "subject"));
    assertThat(reachedBy(reached, "desert")).as("Caroline's camping is not about Melanie").isNotEqualTo(new GraphHop(1, false, "subject"));
  }

  private Map<Integer, GraphWalk.Reached> walkFrom(String seedText, String question, boolean accurate) {
    return walkFrom(seedText, question, accurate, null);
  }

  private Map<Integer, GraphWalk.Reached> walkFrom(String seedText, String question, boolean accurate, float[] vector) {
    ContextQuery q = query(question, accurate ? "accurate" : "fast");
    Query filter = ScopeQuery.of(LexicalRetriever.filterFor(q));
    InstanceIndex idx = engine.index().forInstance(instance);
    try (InstanceIndex.View view = idx.view()) {
      int seed = view.docOf(memory(seedText).memoryId(), filter);
      assertThat(seed).isNotNegative();
      GraphWalk walk = new GraphWalk(GraphSettings.DEFAULT.withWalk(true), engine.store().relations(), engine.entities()::entities);
      Map<Integer, GraphWalk.Reached> reached = walk.walk(view, filter, instance, question, idx.analyze(question), vector, List.of(new GraphWalk.Seed(seed, 1.0)),
          accurate);
      assertThat(reached.get(seed).hop()).isEqualTo(GraphHop.SEED);
      this.docs = new java.util.HashMap<>();
      for (int doc : reached.keySet()) docs.put(doc, view.stored(doc).memoryId());
      return reached;
    }
  }

  private Map<Integer, String> docs;

  private GraphHop reachedBy(Map<Integer, GraphWalk.Reached> reached, String containing) {
    String id = memory(containing).memoryId();
    return reached.entrySet().stream().filter(e -> id.equals(docs.get(e.getKey()))).map(e -> e.getValue().hop()).findFirst().orElse(null);
  }

  private Memory memory(String containing) {
    for (String user : List.of("alice", "bob")) {
      var page = engine.store().memories().list(new dev.synap.core.store.MemoryFilter(instance, null, null, user, null, Set.of(), false), 500, 0);
      for (Memory m : page) if (m.content().contains(containing)) return m;
    }
    throw new AssertionError("no memory containing " + containing);
  }

  private static int rank(List<ContextItem> items, String containing) {
    for (int i = 0; i < items.size(); i++) if (items.get(i).memory().content().contains(containing)) return i;
    return -1;
  }

  private static List<String> contents(List<ContextItem> items) {
    return items.stream().map(i -> i.memory().content()).toList();
  }

  private ContextQuery query(String question, String mode) {
    return new ContextQuery(instance, Scope.USER, null, "alice", null, List.of(question), Set.of(), 10, mode, 4096);
  }

  private void say(String user, String conversation, String speaker, String text, String at) {
    engine.ingest().record(new RecordRequest(instance, conversation, user, null, "s1", "user", "message", text, Map.of("speaker", speaker),
        Instant.parse(at), null));
  }

  private void idle() throws InterruptedException {
    assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
  }
}
