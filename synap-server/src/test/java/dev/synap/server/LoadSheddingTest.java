package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.ingest.RecordRequest;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * During a write burst an anticipation push is shed to the owner's newest memories and says so
 * (partial, {@code recent_under_load}); reactive requests keep full retrieval; events are still
 * recorded; nothing crosses owners.
 */
class LoadSheddingTest {
  @TempDir Path dir;

  @Test
  void anticipationIsShedDuringAWriteBurstButReactiveAnswersAreNot() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String conv = UUID.randomUUID().toString();
      List<String> carl = List.of("Carl keeps bees on the roof of his flat.", "Carl's sister lives in Lisbon.", "Carl plays chess on Sundays.");
      for (String text : carl) say(rs, conv, "carl", text);
      say(rs, UUID.randomUUID().toString(), "dora", "Dora keeps bees too, in her garden in Leeds.");
      rs.awaitIngested();
      String instance = rs.server.engine().tenancy().instances().getFirst().instanceId();

      ManagedChannel ch = rs.channel();
      RunningServer.Stream stream = rs.new Stream(ch, rs.key);
      // Before the burst: the query model is loaded and reactive answers use it.
      ContextBundleProto warm;
      long warmDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      do {
        stream.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("context_request")
            .setConversationId(conv).setUserId("carl").addSearchQueries("chess")).build());
        warm = nextOfType(stream, "reactive");
      } while (!warm.getSourcesQueriedList().contains("vector") && System.nanoTime() < warmDeadline);
      assertThat(warm.getSourcesQueriedList()).contains("vector");
      AtomicBoolean bursting = new AtomicBoolean(true);
      // The flag is cleared in an inner finally: a try-with-resources' own finally would run only
      // after close() had waited for the writers, which stop only when it is cleared.
      try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
        try {
          for (int w = 0; w < 16; w++) {
            int writer = w;
            writers.submit(() -> {
              for (int i = 0; bursting.get(); i++) {
                rs.server.engine().ingest().record(new RecordRequest(instance, UUID.randomUUID().toString(), "burst-" + writer, null, null, "user",
                    "message", "ok thanks", Map.of(), null, null)); // chit-chat: a burst of writes, nothing to embed
              }
              return null;
            });
          }
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (!rs.server.engine().ingest().pressure().busy() && System.nanoTime() < deadline) Thread.sleep(10);
          assertThat(rs.server.engine().ingest().pressure().busy()).as("the burst registers as write pressure").isTrue();

          stream.send(event("user_message", conv, "carl", "What about the bees on my roof?"));
          ContextBundleProto shed = stream.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 5_000).getContextBundle();
          assertThat(shed.getBundleType()).isEqualTo("anticipation");
          assertThat(shed.getSourcesQueriedList()).containsExactly("recent_under_load");
          assertThat(shed.getDegradationLevel()).isEqualTo("partial");
          assertThat(shed.getAnticipationUserId()).isEqualTo("carl");
          assertThat(contents(shed)).isNotEmpty().allMatch(carl::contains);

          stream.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("context_request")
              .setConversationId(conv).setUserId("carl").addSearchQueries("bees on the roof")).build());
          ContextBundleProto reactive = nextOfType(stream, "reactive");
          assertThat(reactive.getSourcesQueriedList()).contains("vector");
          assertThat(reactive.getDegradationLevel()).isEqualTo("none");
          assertThat(contents(reactive)).contains(carl.getFirst()).allMatch(carl::contains);
        } finally {
          bursting.set(false);
        }
      }
      rs.awaitIngested();
      assertThat(rs.server.engine().store().messages().byUser(instance, "carl", 100)).extracting(m -> m.content())
          .contains("What about the bees on my roof?");
      stream.requests.onCompleted();
      ch.shutdownNow();
    }
  }

  private static ContextBundleProto nextOfType(RunningServer.Stream stream, String type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      StreamResponse r = stream.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 1_000);
      if (r != null && r.getContextBundle().getBundleType().equals(type)) return r.getContextBundle();
    }
    throw new AssertionError("no " + type + " bundle");
  }

  private static List<String> contents(ContextBundleProto b) {
    return b.getItemsByTypeMap().values().stream().flatMap(l -> l.getItemsList().stream()).map(i -> i.getContent()).toList();
  }

  private static StreamEvent event(String type, String conv, String user, String text) {
    return StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType(type).setRole("user")
        .setConversationId(conv).setUserId(user).setContent(text)).build();
  }

  private static void say(RunningServer rs, String conv, String user, String text) throws Exception {
    rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"user_id\":\"" + user + "\",\"content\":\""
        + text.replace("\"", "\\\"") + "\"}", rs.key);
  }
}
