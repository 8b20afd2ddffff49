package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signature loop, end to end: record, listen, send, receive a pushed bundle, answer from cache. */
class ListenLoopTest {
  @TempDir Path dir;

  @Test
  void pushedBundleHoldsTheDogAndTheNextFetchIsServedFromTheCache() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      String conv = UUID.randomUUID().toString();
      for (String text : List.of("My dog is called Rex, he is a golden retriever.", "I work as a nurse at the city hospital.",
          "We are planning a trip to Lisbon next summer.")) {
        synap.conversation().recordMessage(RecordMessage.user(conv, text).userId("alice").build());
      }
      ts.awaitIngested();

      BlockingQueue<ContextBundle> bundles = new LinkedBlockingQueue<>();
      synap.instance().listen(ListenCallbacks.onContext(bundles::add));
      long sent = System.nanoTime();
      synap.instance().sendMessage(SendMessage.builder("what was my dog's name again?").userId("alice").conversationId(conv).build());
      ContextBundle bundle = bundles.poll(1, TimeUnit.SECONDS);
      long elapsedMs = (System.nanoTime() - sent) / 1_000_000;

      assertThat(bundle).as("bundle within a second").isNotNull();
      assertThat(elapsedMs).isLessThan(1000);
      assertThat(bundle.items()).extracting(ContextItem::content).anyMatch(c -> c.contains("Rex"));
      assertThat(bundle.userId()).isEqualTo("alice");
      assertThat(bundle.conversationId()).isEqualTo(conv);
      assertThat(bundle.bundleType()).isEqualTo("anticipation");

      CacheStats before = synap.cache().stats();
      ContextResponse cached = synap.user().context().fetch(FetchRequest.forUser("alice").query("what was my dog's name again?").build());
      CacheStats after = synap.cache().stats();
      assertThat(cached.fromCache()).isTrue();
      assertThat(cached.sourceBundleIds()).containsExactly(bundle.bundleId());
      assertThat(cached.all()).extracting(ContextItem::content).anyMatch(c -> c.contains("Rex"));
      assertThat(after.hits()).isEqualTo(before.hits() + 1);
      assertThat(after.misses()).isEqualTo(before.misses());

      // A question nothing pushed covers goes to the server.
      ContextResponse uncached = synap.user().context().fetch(FetchRequest.forUser("alice").query("quarterly tax filing deadline").build());
      assertThat(uncached.fromCache()).isFalse();
      assertThat(synap.cache().stats().misses()).isEqualTo(after.misses() + 1);
    }
  }

  @Test
  void recordedMemoriesSurviveARestart() throws Exception {
    TestServer ts = new TestServer(dir);
    String conv = UUID.randomUUID().toString();
    try (Synap synap = ts.client()) {
      synap.conversation().recordMessage(RecordMessage.user(conv, "My sister Maria lives in Porto.").userId("bob").build());
    }
    ts.awaitIngested();
    TestServer restarted = ts.restart();
    try (restarted; Synap synap = restarted.client()) {
      ContextResponse r = synap.user().context().fetch(FetchRequest.forUser("bob").query("where does my sister live").build());
      assertThat(r.fromCache()).isFalse();
      assertThat(r.all()).extracting(ContextItem::content).containsExactly("My sister Maria lives in Porto.");
    }
  }
}
