package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unified fetch merges scopes narrowest first, and the narrower scope wins on conflicts. */
class UnifiedFetchTest {
  @TempDir Path dir;

  static ContextItem item(String id, String content) {
    return new ContextItem(id, "facts", content, 0.9, 0.5, null, null, null, null, "lexical");
  }

  static ContextResponse response(ContextItem... items) {
    return new ContextResponse(List.of(items), List.of(), List.of(), List.of(), List.of(), "", 0, false, "cloud", List.of());
  }

  @Test
  void narrowerScopeWinsAndLimitsHold() {
    ContextResponse conversation = response(item("c1", "The meeting moved to Friday."));
    ContextResponse user = response(item("u1", "The meeting moved to friday!"), item("u2", "Sam prefers tea."));
    ContextResponse customer = response(item("u2", "Sam prefers tea."), item("k1", "Acme's office is in Oslo."));
    ContextResponse merged = UnifiedFetch.merge(List.of(conversation, user, customer), 10, 4096);
    assertThat(merged.facts()).extracting(ContextItem::id).containsExactly("c1", "u2", "k1");
    // max_results holds per scope (the documented unified fetch): at most one of each scope here.
    assertThat(UnifiedFetch.merge(List.of(conversation, user, customer), 1, 4096).facts()).extracting(ContextItem::id).containsExactly("c1", "u2", "k1");
    ContextResponse tight = UnifiedFetch.merge(List.of(conversation, user, customer), 10, 8);
    assertThat(tight.budgetExceeded()).isTrue();
    assertThat(tight.tokensUsed()).isLessThanOrEqualTo(8);
  }

  @Test
  void fetchesEveryNamedScopeFromTheServer() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      String conv = UUID.randomUUID().toString();
      synap.conversation().recordMessage(RecordMessage.user(conv, "I am flying to Oslo on Friday.").userId("uma").build());
      synap.conversation().recordMessage(RecordMessage.user(UUID.randomUUID().toString(), "I always travel with my cat Miso.").userId("uma").build());
      ts.awaitIngested();
      ContextResponse r = synap.fetch(FetchRequest.forUser("uma").conversationId(conv).query("travel plans Oslo cat").build());
      assertThat(r.all()).extracting(ContextItem::content).anyMatch(c -> c.contains("Oslo")).anyMatch(c -> c.contains("Miso"));
      assertThat(r.all()).extracting(ContextItem::id).doesNotHaveDuplicates();
      assertThat(r.scopesQueried()).containsExactly("conversation", "user", "client");
      assertThat(r.all()).allSatisfy(i -> assertThat(i.scope()).isNotNull());
    }
  }

  @Test
  void aScopesListChoosesTheScopesAndEachScopeGetsItsOwnTwentyResults() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      String conv = UUID.randomUUID().toString();
      for (int i = 0; i < 24; i++) {
        synap.conversation().recordMessage(RecordMessage.user(conv, "I packed spare item number " + i + " for the kayak trip, a "
            + List.of("rope", "lamp", "map", "knife", "tarp", "stove", "pot", "cup", "flask", "hat", "glove", "sock", "towel", "soap", "pump",
                "paddle", "helmet", "whistle", "compass", "radio", "battery", "tent", "net", "hook").get(i) + ".").userId("vic").build());
      }
      ts.awaitIngested();
      ContextResponse both = synap.fetch(FetchRequest.forUser("vic").conversationId(conv).query("packed for the kayak trip").build());
      assertThat(both.scopesQueried()).containsExactly("conversation", "user", "client");
      // A single-scope fetch defaults to 10 results; the unified fetch asks each scope for 20.
      assertThat(synap.conversation().context().fetch(FetchRequest.forConversation(conv).query("packed for the kayak trip").build()).all())
          .hasSizeLessThanOrEqualTo(10);
      ContextResponse onlyConversation = synap.fetch(FetchRequest.forConversation(conv).scope("conversation").query("packed for the kayak trip")
          .build());
      assertThat(onlyConversation.scopesQueried()).containsExactly("conversation");
      assertThat(onlyConversation.all().size()).isGreaterThan(10).isLessThanOrEqualTo(20);
      ContextResponse onlyUser = synap.fetch(FetchRequest.forUser("vic").conversationId(conv).scope("user").query("packed for the kayak trip")
          .build());
      assertThat(onlyUser.scopesQueried()).containsExactly("user", "client");
      assertThat(onlyUser.all()).hasSizeLessThanOrEqualTo(20);
      // The conversation scope carries its short-term context unless asked not to.
      ContextResponse conversation = synap.fetch(FetchRequest.forConversation(conv).scope("conversation").query("kayak").build());
      assertThat(conversation.conversationContext()).isPresent();
      assertThat(conversation.conversationContext().get().recentTurns()).isNotEmpty();
      ContextResponse without = synap.fetch(FetchRequest.forConversation(conv).scope("conversation").query("kayak")
          .includeConversationContext(false).build());
      assertThat(without.conversationContext()).isEmpty();
    }
  }
}
