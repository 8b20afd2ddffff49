package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's memories never reach another user's bundle, nor another instance's. */
class IsolationTest {
  @TempDir Path dir;

  @Test
  void bundlesNeverCrossUsersOrInstances() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap a = ts.client(); Synap other = ts.client(ts.newInstanceKey(RelationshipMode.B2C))) {
      String conv1 = UUID.randomUUID().toString();
      String conv2 = UUID.randomUUID().toString();
      a.conversation().recordMessage(RecordMessage.user(conv1, "My dog Rex is allergic to chicken.").userId("alice").build());
      a.conversation().recordMessage(RecordMessage.user(conv2, "My dog Bolt loves chicken treats.").userId("bob").build());
      ts.awaitIngested();

      BlockingQueue<ContextBundle> bobBundles = new LinkedBlockingQueue<>();
      a.instance().listen(ListenCallbacks.onContext(bobBundles::add));
      a.instance().sendMessage(SendMessage.builder("tell me about my dog and chicken").userId("bob").conversationId(conv2).build());
      ContextBundle forBob = bobBundles.poll(2, TimeUnit.SECONDS);
      assertThat(forBob).isNotNull();
      assertThat(forBob.items()).isNotEmpty().allMatch(i -> i.content().contains("Bolt"));

      // Same user id, other instance: sees nothing of the first instance.
      BlockingQueue<ContextBundle> otherBundles = new LinkedBlockingQueue<>();
      other.instance().listen(ListenCallbacks.onContext(otherBundles::add));
      other.instance().sendMessage(SendMessage.builder("tell me about my dog and chicken").userId("alice").build());
      ContextBundle forOther = otherBundles.poll(1, TimeUnit.SECONDS);
      assertThat(forOther == null ? List.<ContextItem>of() : forOther.items()).as("nothing of the first instance").isEmpty();
      ContextResponse fetched = other.user().context().fetch(FetchRequest.forUser("alice").query("dog chicken").build());
      assertThat(fetched.all()).isEmpty();

      // The cache of client "a" holds bob's bundle; a fetch for alice must not be answered from it.
      ContextResponse alice = a.user().context().fetch(FetchRequest.forUser("alice").query("tell me about my dog and chicken").build());
      assertThat(alice.fromCache()).isFalse();
      assertThat(alice.all()).extracting(ContextItem::content).containsExactly("My dog Rex is allergic to chicken.");
      assertThat(List.of(alice.all().getFirst().id())).doesNotContainAnyElementsOf(forBob.itemIds());
    }
  }
}
