package dev.synap.core.anticipate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.model.MemoryType;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnticipationPlannerTest {
  private final AnticipationPlanner planner = new AnticipationPlanner();

  private BundlePlan plan(String type, String content, String tool, String args) {
    return planner.plan("inst", new AnticipationPlanner.Event(type, content, tool, args, List.of(), List.of())).orElseThrow();
  }

  @Test
  void eachEventTypeHasItsPatternAndBundleType() {
    assertThat(plan("user_message", "what was my dog's name?", null, null)).satisfies(p -> {
      assertThat(p.bundleType()).isEqualTo("anticipation");
      assertThat(p.originPatternId()).isEqualTo("user_message.direct");
    });
    assertThat(plan("context_request", "allergies", null, null).bundleType()).isEqualTo("reactive");
    assertThat(plan("agent_thinking", "the user may want the budget", null, null).originPatternId()).isEqualTo("agent_thinking.hint");
    assertThat(plan("", "empty type means user_message", null, null).originPatternId()).isEqualTo("user_message.direct");
    assertThat(planner.plan("inst", new AnticipationPlanner.Event("context_fetch", "x", null, null, List.of(), List.of()))).isEmpty();
    assertThat(planner.plan("inst", new AnticipationPlanner.Event("user_message", "  ", null, null, List.of(), List.of()))).isEmpty();
  }

  @Test
  void assistantRepliesPredictFollowUpsAboutNamesAndPromises() {
    BundlePlan p = plan("assistant_message", "Sure! I'll check the hotel in Lisbon for you. Maria said the Alfama area is lovely.", null, null);
    assertThat(p.originPatternId()).isEqualTo("assistant_message.follow_up");
    assertThat(p.queries()).contains("Lisbon", "Maria", "Alfama", "check the hotel in Lisbon for you");
    assertThat(p.queries()).doesNotContain("Sure");
  }

  @Test
  void aLongRunOfCapitalisedWordsIsReadWithoutOverflowingTheStack() {
    String reply = "I'll ask " + "Abc ".repeat(8_000).strip() + " tomorrow.";
    long start = System.nanoTime();
    BundlePlan p = plan("assistant_message", reply, null, null);
    assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(2_000);
    assertThat(p.queries()).anySatisfy(q -> assertThat(q).startsWith("Abc Abc").hasSize(8_000 * 4 - 1));
  }

  /** The pattern before the rewrite: right on short text, but one stack frame per word. */
  private static final java.util.regex.Pattern RECURSIVE_NAME = java.util.regex.Pattern.compile("\\b([A-Z][a-z]{2,}(?:\\s+[A-Z][a-z]{2,})*)\\b");

  @net.jqwik.api.Property(tries = 2_000)
  void theRewrittenNamePatternFindsWhatTheOldOneFound(@net.jqwik.api.ForAll("chatText") String text) {
    assertThat(groups(AnticipationPlanner.NAME, text)).isEqualTo(groups(RECURSIVE_NAME, text));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> chatText() {
    return net.jqwik.api.Arbitraries.of("Abc", "Lisbon", "Maria", "AB", "Ab", "Abc1", "AbcDef", "abc", "_", " ", "  ", "\n", ".", "'", "É")
        .list().ofMaxSize(30).map(l -> String.join("", l));
  }

  private static List<String> groups(java.util.regex.Pattern p, String text) {
    List<String> out = new java.util.ArrayList<>();
    java.util.regex.Matcher m = p.matcher(text);
    while (m.find()) out.add(m.start(1) + ":" + m.group(1));
    return out;
  }

  @Test
  void toolCallsAreClassifiedIntoADataNeed() {
    BundlePlan p = plan("tool_call", "", "search_flights", "{\"from\":\"Boston\",\"to\":\"Denver\"}");
    assertThat(p.originPatternId()).isEqualTo("tool_call.classified");
    assertThat(p.types()).contains(MemoryType.PREFERENCE);
    assertThat(p.queries().getFirst()).contains("Boston").contains("Denver").contains("travel preferences").doesNotContain("\"from\"");
    assertThat(plan("tool_call", "", "frobnicate", "{\"x\":\"widget\"}").originPatternId()).isEqualTo("tool_call.arguments");
  }

  @Test
  void explicitHintsAreUsedDirectly() {
    BundlePlan p = planner.plan("inst", new AnticipationPlanner.Event("user_message", "hi", null, null, List.of("dietary restrictions"),
        List.of("preferences"))).orElseThrow();
    assertThat(p.queries()).startsWith("dietary restrictions");
    assertThat(p.types()).containsExactly(MemoryType.PREFERENCE);
  }

  @Test
  void feedbackShrinksPatternsThatAreNeverUsedAndKeepsThoseThatAre() {
    FeedbackLedger ledger = new FeedbackLedger();
    AnticipationPlanner p = new AnticipationPlanner(ledger);
    var event = new AnticipationPlanner.Event("assistant_message", "We talked about your garden.", null, null, List.of(), List.of());
    assertThat(p.plan("a", event).orElseThrow().maxItems()).isEqualTo(10);
    for (int i = 0; i < 40; i++) ledger.pushed("a", "assistant_message.follow_up", 10, 200);
    assertThat(p.plan("a", event).orElseThrow().maxItems()).isEqualTo(3);
    assertThat(p.plan("a", event).orElseThrow().confidence()).isLessThan(0.6f);
    // Another instance is unaffected, and a used pattern keeps its budget.
    assertThat(p.plan("b", event).orElseThrow().maxItems()).isEqualTo(10);
    for (int i = 0; i < 40; i++) {
      ledger.pushed("b", "assistant_message.follow_up", 10, 200);
      ledger.used("b", "assistant_message.follow_up", 5, 100, true);
    }
    assertThat(p.plan("b", event).orElseThrow().maxItems()).isEqualTo(10);
    assertThat(ledger.snapshot("b").get("assistant_message.follow_up")).containsEntry("hit_rate", 1.0).containsEntry("precision", 0.5);
  }
}
