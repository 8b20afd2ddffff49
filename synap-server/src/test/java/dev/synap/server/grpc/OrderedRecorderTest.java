package dev.synap.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery promise over the real Listen service: a pong leaves only once every event before
 * its ping is stored, and a refused event is named in a signal that arrives before that pong.
 */
class OrderedRecorderTest {
  @TempDir Path dir;

  private static StreamEvent turn(String conversation, String text, String eventId) {
    return StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setConversationId(conversation)
        .setUserId("ann").setContent(text).putMetadata("event_id", eventId)).build();
  }

  @Test
  void aPongConfirmsThatEveryEarlierEventIsStoredInOrder() throws Exception {
    try (InProcessListen listen = new InProcessListen(dir)) {
      listen.service.predictor(dev.synap.core.anticipate.Predictor.NONE);
      InProcessListen.Stream s = listen.open(Map.of());
      String conv = UUID.randomUUID().toString();
      for (int i = 0; i < 40; i++) s.requests.onNext(turn(conv, "Turn number " + i + " about the garden.", "ev-" + i));
      s.untilPong();
      var stored = listen.engine.store().messages().conversation(listen.instanceId, conv, 100);
      assertThat(stored).hasSize(40);
      assertThat(stored.stream().map(m -> m.content()).toList()).as("in the stream's order").isEqualTo(
          java.util.stream.IntStream.range(0, 40).mapToObj(i -> "Turn number " + i + " about the garden.").toList());
    }
  }

  @Test
  void aRefusedEventIsNamedBeforeThePongThatFollowsIt() throws Exception {
    try (InProcessListen listen = new InProcessListen(dir)) {
      listen.service.predictor(dev.synap.core.anticipate.Predictor.NONE);
      InProcessListen.Stream s = listen.open(Map.of());
      String conv = UUID.randomUUID().toString();
      s.requests.onNext(turn(conv, "Stored fine.", "ok-1"));
      assertThat(s.untilPong()).isEmpty();
      // The session's refusal path, as the gate's rate limit uses it.
      ListenSession session = listen.service.streams().iterator().next();
      session.refuse("refused-1", 3, "rate limit of the test exceeded");
      List<StreamResponse> before = s.untilPong();
      assertThat(before).hasSize(1);
      assertThat(before.getFirst().getSignal().getSignalType()).isEqualTo("throttle");
      assertThat(before.getFirst().getSignal().getMetadataMap()).containsEntry("event_id", "refused-1").containsEntry("retry_after_seconds", "3");
      assertThat(s.responses.poll(200, TimeUnit.MILLISECONDS)).as("named once").isNull();
    }
  }
}
