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
    assertThat(UnifiedFetch.merge(List.of(conversation, user, customer), 2, 4096).facts()).extracting(ContextItem::id).containsExactly("c1", "u2");
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
    }
  }
}
