package dev.synap.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.InvalidInputException;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.server.auth.Caller;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A conversation event is checked once against the caller's instance and carries what the session needs. */
class ListenEventTest {
  private static final Caller B2C = new Caller(new Instance("inst_0000000000000001", "c", RelationshipMode.B2C), "h");
  private static final Caller B2B = new Caller(new Instance("inst_0000000000000002", "c", RelationshipMode.B2B), "h");
  private static final String CONV = UUID.randomUUID().toString();

  @Test
  void aMessageWithAConversationIsPlannedAndRecorded() {
    ListenEvent e = ListenEvent.of(B2C, ConversationEvent.newBuilder().setConversationId(CONV).setUserId("ann").setContent("I moved to Porto.")
        .putMetadata("event_id", "ev-1").build());
    assertThat(e.type()).as("no type means a user message").isEqualTo("user_message");
    assertThat(e.target()).isEqualTo(new BundleAssembler.Target("ann", null, CONV));
    assertThat(e.planned().content()).isEqualTo("I moved to Porto.");
    assertThat(e.record().role()).isEqualTo("user");
    assertThat(e.record().idempotencyKey()).isEqualTo("ev-1");
  }

  @Test
  void whatIsNotAConversationTurnIsPlannedButNotRecorded() {
    assertThat(ListenEvent.of(B2C, ConversationEvent.newBuilder().setEventType("context_request").setConversationId(CONV).setUserId("ann")
        .addSearchQueries("porto").build()).record()).isNull();
    assertThat(ListenEvent.of(B2C, ConversationEvent.newBuilder().setUserId("ann").setContent("no conversation").build()).record()).isNull();
  }

  @Test
  void idsTheInstanceRefusesAreNamed() {
    assertThatThrownBy(() -> ListenEvent.of(B2B, ConversationEvent.newBuilder().setConversationId(CONV).setUserId("ann").setContent("hi").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("customer_id");
    assertThatThrownBy(() -> ListenEvent.of(B2C, ConversationEvent.newBuilder().setConversationId("not-a-uuid").setContent("hi").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("conversation_id");
  }
}
