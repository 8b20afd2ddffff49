package dev.synap.core.retrieve.question;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.MemoryEngine;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Question plans end to end: real pipeline, store, index and e5 model. Each case is one the plain
 * search gets wrong (checked on an engine with plans switched off, in the same test), so the test
 * shows what the plan adds.
 */
class QuestionPlanRetrievalTest {
  @TempDir Path dir;
  @TempDir Path plainDir;
  MemoryEngine engine;
  MemoryEngine plain;
  String instance;
  String plainInstance;

  @BeforeEach
  void open() {
    MemoryEngine.RetrievalConfig on = MemoryEngine.RetrievalConfig.defaults();
    engine = MemoryEngine.open(new MemoryEngine.Config(dir, 2, 100_000, null), on, CompactionSettings.defaults());
    plain = MemoryEngine.open(new MemoryEngine.Config(plainDir, 2, 100_000, null), on.withQuestions(on.questions().withPlans(false)),
        CompactionSettings.defaults());
    instance = engine.tenancy().createInstance("test", RelationshipMode.B2C).instanceId();
    plainInstance = plain.tenancy().createInstance("test", RelationshipMode.B2C).instanceId();
  }

  @AfterEach
  void close() {
    engine.close();
    plain.close();
  }

  @Test
  void aConjunctiveQuestionGetsTheEvidenceAboutBothPeople() throws Exception {
    String[] jon = {"Jon likes to cook spicy Thai curry for his friends.", "Jon loves cooking fresh pasta with tomato sauce.",
        "Jon likes to cook Korean barbecue on weekends.", "Jon enjoys cooking paella in a huge pan.",
        "Jon likes to cook French onion soup in winter.", "Jon loves cooking Mexican tacos with homemade tortillas.",
        "Jon likes to cook Indian dal with lots of cumin.", "Jon enjoys cooking Japanese ramen from scratch.",
        "Jon likes to cook Greek moussaka for family dinners.", "Jon loves cooking Vietnamese pho on rainy days."};
    for (int i = 0; i < jon.length; i++) say(jon[i], "2024-01-%02dT10:00:00Z".formatted(i + 1));
    String[] gina = {"Gina went to the gym at six in the morning.", "Gina painted her living room blue.", "Gina visited her aunt in Chicago.",
        "Gina adopted a grey kitten from the shelter.", "Gina started a new job at the bank.", "Gina ran a half marathon in April."};
    for (int i = 0; i < gina.length; i++) say(gina[i], "2024-02-%02dT10:00:00Z".formatted(i + 1));
    say("Gina's favourite dish to make is lasagne with spinach.", "2024-01-20T10:00:00Z");
    idle();
    String question = "What food do Jon and Gina both like to cook?";
    for (String mode : List.of("fast", "accurate")) {
      assertThat(contents(fetch(plain, plainInstance, question, mode, 3))).as("plain %s", mode).noneMatch(c -> c.contains("lasagne"));
      List<String> got = contents(fetch(engine, instance, question, mode, 3));
      assertThat(got).as(mode).anyMatch(c -> c.contains("lasagne")).anyMatch(c -> c.contains("Jon"));
    }
  }

  @Test
  void aRelativePeriodIsResolvedAgainstTheAnchorEventsDate() throws Exception {
    say("I went to the pottery class with Anna.", "2023-03-01T10:00:00Z");
    say("I went to the pottery class with Ben.", "2023-06-05T10:00:00Z");
    say("Today is my birthday, we had a big party with cake.", "2023-06-10T18:00:00Z");
    idle();
    String question = "Who did I go to the pottery class with the week before my birthday?";
    for (String mode : List.of("fast", "accurate")) {
      assertThat(first(fetch(plain, plainInstance, question, mode, 10), "pottery")).as("plain %s", mode).contains("Anna");
      assertThat(first(fetch(engine, instance, question, mode, 10), "pottery")).as(mode).contains("Ben");
    }
  }

  @Test
  void aHowManyTimesQuestionGetsEveryOccurrenceInDateOrder() throws Exception {
    say("We went to the beach with the kids and built sandcastles.", "2023-03-04T10:00:00Z");
    say("My husband and I went to the beach for a sunset walk.", "2023-07-15T10:00:00Z");
    say("I went to the beach with my sister and we swam a lot.", "2023-05-20T10:00:00Z");
    say("My favourite colour is green.", "2023-06-01T10:00:00Z");
    say("I bought a new bicycle for commuting.", "2023-08-01T10:00:00Z");
    idle();
    String question = "How many times did I go to the beach?";
    List<String> inOrder = List.of("sandcastles", "swam", "sunset");
    for (String mode : List.of("fast", "accurate")) {
      assertThat(beachOrder(fetch(plain, plainInstance, question, mode, 10))).as("plain %s", mode).isNotEqualTo(inOrder);
      ContextResult r = fetch(engine, instance, question, mode, 10);
      assertThat(beachOrder(r)).as(mode).isEqualTo(inOrder);
      assertThat(r.items().subList(0, 3)).allSatisfy(i -> assertThat(i.memory().content()).contains("beach"));
    }
  }

  @Test
  void aListQuestionGetsOneMemoryPerTurnAtTheHead() throws Exception {
    say("I read Dune by Frank Herbert last month. Dune is the best science fiction book I have read. I also read the second Dune book.",
        "2023-04-02T10:00:00Z");
    say("My kids and I read Charlotte's Web together.", "2023-05-10T10:00:00Z");
    say("I planted tomatoes in the garden.", "2023-05-11T10:00:00Z");
    idle();
    String question = "What books have I read?";
    for (String mode : List.of("fast", "accurate")) {
      List<List<String>> plainTurns = fetch(plain, plainInstance, question, mode, 2).items().stream().map(i -> i.memory().sourceMessageIds()).toList();
      assertThat(plainTurns).as("plain %s: two memories of the Dune turn", mode).hasSize(2).allSatisfy(t -> assertThat(t).isEqualTo(plainTurns.getFirst()));
      List<String> got = contents(fetch(engine, instance, question, mode, 2));
      assertThat(got).as(mode).hasSize(2).anyMatch(c -> c.contains("Dune")).anyMatch(c -> c.contains("Charlotte"));
    }
  }

  private static List<String> beachOrder(ContextResult r) {
    return r.items().stream().map(i -> i.memory().content()).filter(c -> c.contains("beach"))
        .map(c -> c.contains("sandcastles") ? "sandcastles" : c.contains("swam") ? "swam" : "sunset").toList();
  }

  private void say(String text, String at) {
    for (var e : List.of(Map.entry(engine, instance), Map.entry(plain, plainInstance))) {
      e.getKey().ingest().record(new RecordRequest(e.getValue(), "conv-alice", "alice", null, "s1", "user", "message", text, Map.of(),
          Instant.parse(at), null));
    }
  }

  private void idle() throws InterruptedException {
    assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
    assertThat(plain.awaitIdle(Duration.ofSeconds(60))).isTrue();
  }

  private static ContextResult fetch(MemoryEngine e, String instanceId, String question, String mode, int max) {
    return e.retriever().retrieve(new ContextQuery(instanceId, Scope.USER, null, "alice", null, List.of(question), Set.of(), max, mode, 4096));
  }

  private static List<String> contents(ContextResult r) {
    return r.items().stream().map(i -> i.memory().content()).toList();
  }

  private static String first(ContextResult r, String containing) {
    return r.items().stream().map(ContextItem::memory).map(m -> m.content()).filter(c -> c.contains(containing)).findFirst().orElseThrow();
  }
}
