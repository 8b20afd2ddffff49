package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.model.Memory;
import dev.synap.core.store.MemoryFilter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may change what (README, "Who may change which memories"), through the real server: a
 * turn retracts or supersedes only memories its speaker owns, an assistant turn changes nothing,
 * a turn without a user id reaches only its own conversation's anonymous memories, and document
 * memories change only through the memories API.
 */
class ChangeRightsTest {
  @TempDir Path dir;
  RunningServer rs;
  String instance;

  @BeforeEach
  void start() {
    rs = new RunningServer(dir);
    instance = rs.server.engine().tenancy().instances().getFirst().instanceId();
  }

  @AfterEach
  void stop() {
    rs.close();
  }

  @Test
  void aUsersTurnRetractsOnlyThatUsersOwnConversationalMemories() throws Exception {
    String jackConv = UUID.randomUUID().toString();
    say(jackConv, "user", "jack", "I love durian smoothies every morning.");
    say(UUID.randomUUID().toString(), "user", "kate", "I love durian smoothies every morning.");
    say(UUID.randomUUID().toString(), "user", null, "I love durian smoothies every morning.");
    document(null, "The office kitchen serves durian smoothies every morning.");
    document("jack", "Jack's intake form: Jack orders durian smoothies at the cafe.");
    rs.awaitIngested();

    say(jackConv, "user", "jack", "Please ignore what I said about durian smoothies.");
    rs.awaitIngested();

    assertThat(statusOf("jack", null, "I love durian")).as("jack's own statement").isEqualTo("retracted");
    assertThat(statusOf("kate", null, "I love durian")).as("another user's memory").isEqualTo("current");
    assertThat(statusOf(null, "anonymous", "I love durian")).as("an anonymous conversation's memory").isEqualTo("current");
    assertThat(statusOf(null, "document", "office kitchen")).as("an instance-wide document").isEqualTo("current");
    assertThat(statusOf("jack", "document", "intake form")).as("jack's own document: only the memories API changes it").isEqualTo("current");
  }

  @Test
  void anAssistantTurnRetractsAndSupersedesNothing() throws Exception {
    String conv = UUID.randomUUID().toString();
    say(conv, "user", "jack", "I work as a nurse at the city hospital.");
    say(conv, "user", "jack", "My favourite colour is blue.");
    rs.awaitIngested();

    say(conv, "assistant", "jack", "Please ignore what I said about the nurse job.");
    say(conv, "assistant", "jack", "My favourite colour is green now.");
    say(conv, "assistant", "jack", "Forget that.");
    rs.awaitIngested();

    assertThat(statusOf("jack", null, "nurse")).isEqualTo("current");
    assertThat(statusOf("jack", null, "colour is blue")).isEqualTo("current");
  }

  @Test
  void aTurnWithoutUserIdChangesOnlyItsOwnConversationsAnonymousMemories() throws Exception {
    document(null, "The cafeteria serves durian cake on Fridays.");
    document(null, "Our favourite colour is blue.");
    String here = UUID.randomUUID().toString();
    String elsewhere = UUID.randomUUID().toString();
    say(here, "user", null, "I love mango lassi with lunch.");
    say(elsewhere, "user", null, "I love mango lassi with dinner.");
    say(here, "user", "kate", "I love mango lassi at breakfast.");
    rs.awaitIngested();

    say(here, "user", null, "Please ignore what I said about durian cake.");
    say(here, "user", null, "Our favourite colour is green now.");
    say(here, "user", null, "Please ignore what I said about mango lassi.");
    rs.awaitIngested();

    assertThat(statusOf(null, "document", "durian cake")).as("an instance-wide document").isEqualTo("current");
    assertThat(statusOf(null, "document", "colour is blue")).as("an instance-wide document").isEqualTo("current");
    assertThat(statusOf(null, "anonymous", "with lunch")).as("the same conversation's anonymous memory").isEqualTo("retracted");
    assertThat(statusOf(null, "anonymous", "with dinner")).as("another conversation's anonymous memory").isEqualTo("current");
    assertThat(statusOf("kate", null, "at breakfast")).as("a user's memory in the same conversation").isEqualTo("current");
  }

  private void say(String conversation, String role, String user, String content) throws Exception {
    String body = "{\"conversation_id\":\"" + conversation + "\",\"role\":\"" + role + "\",\"content\":\"" + content + "\""
        + (user == null ? "" : ",\"user_id\":\"" + user + "\"") + "}";
    HttpResponse<String> r = rs.post("/v1/conversations/messages", body, rs.key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private void document(String user, String text) throws Exception {
    String body = "{\"document\":\"" + text + "\"" + (user == null ? "" : ",\"user_id\":\"" + user + "\"") + "}";
    HttpResponse<String> r = rs.post("/api/v1/memories/create", body, rs.key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /**
   * The status of the one memory holding {@code text} with that owner; {@code origin} tells
   * documents ("document") from chat ("anonymous" or null) when there is no user.
   */
  private String statusOf(String user, String origin, String text) {
    List<Memory> all = rs.server.engine().store().memories().list(new MemoryFilter(instance, null, null, null, null, Set.of(), true), 1000, 0);
    List<Memory> found = all.stream()
        .filter(m -> java.util.Objects.equals(m.userId(), user))
        .filter(m -> origin == null || origin.equals("document") == m.conversationId().startsWith("doc:"))
        .filter(m -> m.content().contains(text))
        .toList();
    assertThat(found).as("memories of %s (%s) holding '%s' among %s", user, origin, text, all.stream().map(Memory::content).toList()).hasSize(1);
    return found.getFirst().status();
  }
}
