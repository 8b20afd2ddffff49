package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.synap.server.config.ServerConfig;
import dev.synap.server.limit.RateLimitSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 items 10 and 11 through the Java SDK against a real server. */
class SdkParityTest {
  @TempDir Path dir;

  @Test
  void exceptionsCarryCodeDetailsAndTheCorrelationId() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
          () -> synap.user().context().fetch(FetchRequest.forUser("amy").tokenBudget(0).build()));
      assertThat(e.code()).isEqualTo("invalid_input");
      assertThat(e.details()).isNotNull();
      assertThat(e.correlationId()).startsWith("syn_");
      ConflictException conflict = catchThrowableOfType(ConflictException.class, () -> {
        synap.conversation().ingestTranscript("t-1", "amy", null, List.of(new ConversationClient.Turn("user", "Hello there", null, null)));
        synap.conversation().ingestTranscript("t-1", "amy", null, List.of(new ConversationClient.Turn("user", "Something else", null, null)));
      });
      assertThat(conflict).isInstanceOf(TranscriptConflictException.class);
      assertThat(conflict.code()).isEqualTo("transcript_conflict");
    }
  }

  @Test
  void aRateLimitExceptionCarriesTheLimitAndWhatRemains() throws Exception {
    try (TestServer ts = new TestServer(ServerConfig.forTests(dir).withRateLimits(new RateLimitSettings(0.5, 4, 0, 0, 0, 0)));
        Synap synap = ts.client(); HttpClient http = HttpClient.newHttpClient()) {
      // Another caller of the same key takes every token as it refills, so the SDK's retries (after
      // Retry-After) are refused too and the exception reaches the caller.
      java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean(true);
      java.util.concurrent.CountDownLatch spent = new java.util.concurrent.CountDownLatch(1);
      Runnable drainer = () -> {
        HttpRequest whoami = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ts.server.httpPort() + "/api/v1/auth/whoami"))
            .header("Authorization", "Bearer " + ts.key).build();
        while (draining.get()) {
          try {
            if (http.send(whoami, HttpResponse.BodyHandlers.discarding()).statusCode() == 429) spent.countDown();
          } catch (Exception e) {
            return;
          }
        }
      };
      Thread drain = Thread.ofVirtual().start(drainer);
      Thread drain2 = Thread.ofVirtual().start(drainer);
      try {
        assertThat(spent.await(10, TimeUnit.SECONDS)).as("the budget is spent").isTrue();
        RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> synap.user().context().fetch(FetchRequest.forUser("bo").build()));
        assertThat(e.limit()).isEqualTo(4);
        assertThat(e.remaining()).isZero();
        assertThat(e.retryAfterSeconds()).isPositive();
        assertThat(e.code()).isEqualTo("rate_limited");
        assertThat(e.details()).containsEntry("limit", "key");
      } finally {
        draining.set(false);
        drain.join();
        drain2.join();
      }
    }
  }

  @Test
  void fetchesReportContextFetchAndContextAssembledAndConversationFetchesUseTheCache() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      String conv = UUID.randomUUID().toString();
      synap.conversation().recordMessage(RecordMessage.user(conv, "I am allergic to shellfish and peanuts.").userId("cy").build());
      ts.awaitIngested();
      BlockingQueue<ContextBundle> bundles = new LinkedBlockingQueue<>();
      synap.instance().listen(ListenCallbacks.onContext(bundles::add));
      synap.instance().sendMessage(SendMessage.builder("am I allergic to any food?").userId("cy").conversationId(conv).build());
      assertThat(bundles.poll(5, TimeUnit.SECONDS)).isNotNull();

      // A conversation fetch naming the user is answered from that user's pushed bundles, like a user fetch.
      ContextResponse cached = synap.conversation().context().fetch(FetchRequest.forConversation(conv).userId("cy").query("allergic to shellfish").build());
      assertThat(cached.fromCache()).isTrue();
      ContextResponse served = synap.user().context().fetch(FetchRequest.forUser("cy").query("something never pushed about volcanoes").build());
      assertThat(served.fromCache()).isFalse();
      assertThat(served.correlationId()).startsWith("syn_");
      assertThat(served.retrievedAt()).isNotNull();
      assertThat(served.scopesQueried()).containsExactly("user", "client");

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String metrics;
      do {
        Thread.sleep(50);
        metrics = metrics(ts);
        assertThat(System.nanoTime()).as("context_assembled reported: " + metrics.lines().filter(l -> l.contains("assembled")).toList())
            .isLessThan(deadline);
      } while (!metrics.contains("synap_listen_context_assembled_total 2.0") || !metrics.contains("synap_listen_context_assembled_cache_hit_total 1.0"));
    }
  }

  @Test
  void theCacheForgetsAMemoryThatChangedLocallyOrWasPushedAgain() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      String conv = UUID.randomUUID().toString();
      synap.conversation().recordMessage(RecordMessage.user(conv, "My favourite bakery is Crumb and Co on Elm Street.").userId("di").build());
      ts.awaitIngested();
      BlockingQueue<ContextBundle> bundles = new LinkedBlockingQueue<>();
      synap.instance().listen(ListenCallbacks.onContext(bundles::add));
      synap.instance().sendMessage(SendMessage.builder("which bakery do I like?").userId("di").conversationId(conv).build());
      ContextBundle pushed = bundles.poll(5, TimeUnit.SECONDS);
      assertThat(pushed).isNotNull();
      FetchRequest ask = FetchRequest.forUser("di").query("favourite bakery").build();
      ContextResponse before = synap.user().context().fetch(ask);
      assertThat(before.fromCache()).isTrue();
      String memoryId = before.all().stream().filter(i -> i.content().contains("Crumb")).findFirst().orElseThrow().id();

      // A local edit through this SDK: no later fetch answers with the old text from the cache.
      synap.memories().update(memoryId, "My favourite bakery is Loaf Lane on Pine Road.", "replace", "document", Map.of("source", "crm"));
      ContextResponse after = synap.user().context().fetch(ask);
      assertThat(after.all()).extracting(ContextItem::content).noneMatch(c -> c.contains("Crumb"));

      // The server pushes the edited memory (memory_write.update); a bundle holding the old version is dropped.
      AnticipationCache cache = synap.cache();
      cache.put(pushed); // as if the old bundle had arrived again before the edit's push
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      ContextBundle update = null;
      while (update == null && System.nanoTime() < deadline) {
        ContextBundle b = bundles.poll(100, TimeUnit.MILLISECONDS);
        if (b != null && AnticipationCache.MEMORY_WRITE.equals(b.originPatternId())) update = b;
      }
      if (update == null) {
        // The edit's push may have come before the old bundle was put back: replay it.
        update = new ContextBundle("upd-" + UUID.randomUUID(), "anticipation", "di", null, null, List.of(new ContextItem(memoryId, "facts",
            "My favourite bakery is Loaf Lane on Pine Road.", 0.9, 0.5, null, null, null, null, "update")), List.of(), 10, 1800, 0.5f,
            AnticipationCache.MEMORY_WRITE, null, null, "none");
      }
      cache.put(update);
      ContextResponse pushedAfter = synap.user().context().fetch(ask);
      assertThat(pushedAfter.all()).extracting(ContextItem::content).noneMatch(c -> c.contains("Crumb"));
    }
  }

  @Test
  void eventHelpersReachTheServerAsTheDocumentedEvents() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      String conv = UUID.randomUUID().toString();
      synap.conversation().recordMessage(RecordMessage.user(UUID.randomUUID().toString(), "I always fly with Aurora Air to Reykjavik.").userId("eli").build());
      ts.awaitIngested();
      BlockingQueue<ContextBundle> bundles = new LinkedBlockingQueue<>();
      synap.instance().listen(ListenCallbacks.onContext(bundles::add));
      synap.instance().sendMessage(SendMessage.toolResult("search_flights", "{\"airline\":\"Aurora Air\",\"to\":\"Reykjavik\"}")
          .userId("eli").conversationId(conv).build());
      assertThat(next(bundles, "tool_result.next_step").items()).extracting(ContextItem::content).anyMatch(c -> c.contains("Aurora"));
      synap.instance().sendMessage(SendMessage.sessionStart().userId("eli").conversationId(conv).build());
      // Sent whole, although the tool result's bundle already brought the same memory.
      assertThat(next(bundles, "session_start.user_summary").bundleType()).isEqualTo("user_summary");
      synap.instance().sendMessage(SendMessage.userMessage("Book the early Aurora Air flight to Reykjavik please.").userId("eli").conversationId(conv).build());
      synap.instance().sessionControl("end", null, conv, "eli", null);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!"completed".equals(synap.conversation().context().getCompactionStatus(conv).status())) {
        assertThat(System.nanoTime()).as("the session end compacted the conversation").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private static ContextBundle next(BlockingQueue<ContextBundle> bundles, String pattern) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      ContextBundle b = bundles.poll(100, TimeUnit.MILLISECONDS);
      if (b != null && pattern.equals(b.originPatternId())) return b;
    }
    throw new AssertionError("no bundle of " + pattern);
  }

  private static String metrics(TestServer ts) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ts.server.httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
