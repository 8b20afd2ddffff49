package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anticipation cache answers a user's fetch only with bundles pushed for that user, whatever
 * the user's id looks like, and never with a bundle pushed for a conversation that names no user.
 */
class CacheScopeTest {
  @TempDir Path dir;
  TestServer ts;
  Synap synap;
  final BlockingQueue<ContextBundle> bundles = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    ts = new TestServer(dir);
    synap = ts.client();
  }

  @AfterEach
  void stop() {
    synap.close();
    ts.close();
  }

  private ContextBundle pushed(SendMessage m) throws InterruptedException {
    synap.instance().sendMessage(m);
    ContextBundle b = bundles.poll(3, TimeUnit.SECONDS);
    assertThat(b).as("the server pushed a bundle for " + m.content()).isNotNull();
    assertThat(b.items()).isNotEmpty();
    return b;
  }

  @Test
  void aUserNamedLikeAnInternalMarkerIsOnlyAnsweredWithTheirOwnBundlesAndLeaksToNoOne() throws Exception {
    String anyConv = UUID.randomUUID().toString();
    String clientConv = UUID.randomUUID().toString();
    synap.conversation().recordMessage(RecordMessage.user(anyConv, "My dog Rex is allergic to chicken.").userId("_any").build());
    synap.conversation().recordMessage(RecordMessage.user(clientConv, "My cat Tom sleeps on the piano.").userId("_client").build());
    ts.awaitIngested();
    synap.instance().listen(ListenCallbacks.onContext(bundles::add));
    ContextBundle forAny = pushed(SendMessage.builder("tell me about my dog and chicken").userId("_any").conversationId(anyConv).build());
    pushed(SendMessage.builder("tell me about my cat and the piano").userId("_client").conversationId(clientConv).build());
    // Each plan's first pass, and its dense additions when the dense search found more.
    assertThat(synap.cache().stats().size()).isBetween(2, 4);

    // The user "_any" gets their own bundle back from the cache.
    ContextResponse own = synap.user().context().fetch(FetchRequest.forUser("_any").query("tell me about my dog and chicken").build());
    assertThat(own.fromCache()).isTrue();
    assertThat(own.sourceBundleIds()).contains(forAny.bundleId()); // and its dense additions, if any

    // Nobody else does: not another user, not the instance-wide (client) scope.
    ContextResponse bob = synap.user().context().fetch(FetchRequest.forUser("bob").query("tell me about my dog and chicken").build());
    assertThat(bob.fromCache()).as("bob's fetch answered with the bundle of user _any").isFalse();
    assertThat(bob.all()).extracting(ContextItem::content).noneMatch(c -> c.contains("Rex"));
    ContextResponse client = synap.client().context().fetch(FetchRequest.forClient().query("tell me about my cat and the piano").build());
    assertThat(client.fromCache()).as("the client scope answered with the bundle of user _client").isFalse();
  }

  @Test
  void aBundleForAConversationWithoutAUserAnswersNoUsersFetch() throws Exception {
    String conv = UUID.randomUUID().toString();
    synap.conversation().recordMessage(RecordMessage.user(conv, "My dog Rex is allergic to chicken.").userId("alice").build());
    ts.awaitIngested();
    synap.instance().listen(ListenCallbacks.onContext(bundles::add));
    // An event of alice's conversation that names no user: its bundle carries no user id.
    ContextBundle noUser = pushed(SendMessage.builder("tell me about the dog and chicken").conversationId(conv).build());
    assertThat(noUser.userId()).isNull();
    assertThat(noUser.items()).extracting(ContextItem::content).anyMatch(c -> c.contains("Rex"));

    for (String user : new String[] {"bob", "_any", "_client"}) {
      ContextResponse r = synap.user().context().fetch(FetchRequest.forUser(user).query("tell me about the dog and chicken").build());
      assertThat(r.fromCache()).as(user + "'s fetch answered from a bundle of a conversation without a user").isFalse();
      assertThat(r.all()).extracting(ContextItem::content).as(user).noneMatch(c -> c.contains("Rex"));
    }
  }
}
