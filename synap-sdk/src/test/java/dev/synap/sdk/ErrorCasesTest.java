package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal is a typed exception, and a refused call stores nothing. */
class ErrorCasesTest {
  @TempDir Path dir;
  TestServer ts;
  Synap synap;

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

  private long storedMessages() {
    return ts.server.engine().store().messages().queueDepth() + ts.server.engine().store().memories().count(synap.whoami().instanceId());
  }

  private int messagesOf(String instanceId, String user) {
    return ts.server.engine().store().messages().byUser(instanceId, user, 1000).size();
  }

  @Test
  void sendMessageWithoutAStreamIsListeningNotActive() {
    assertThatThrownBy(() -> synap.instance().sendMessage(SendMessage.builder("hello").userId("u").build()))
        .isInstanceOf(ListeningNotActiveException.class)
        .isInstanceOf(SynapPermanentException.class);
    assertThat(messagesOf(synap.whoami().instanceId(), "u")).isZero();
  }

  @Test
  void secondListenIsListeningAlreadyActive() {
    synap.instance().listen(ListenCallbacks.none());
    assertThat(synap.instance().isListening()).isTrue();
    assertThatThrownBy(() -> synap.instance().listen(ListenCallbacks.none())).isInstanceOf(ListeningAlreadyActiveException.class);
    synap.instance().stopListening();
    assertThat(synap.instance().isListening()).isFalse();
    assertThatThrownBy(() -> synap.instance().sendMessage(SendMessage.builder("x").build())).isInstanceOf(ListeningNotActiveException.class);
  }

  @Test
  void badKeyIsAuthenticationOnRestAndOnListen() {
    try (Synap bad = ts.client("sk_live_" + "0".repeat(40))) {
      String conv = UUID.randomUUID().toString();
      assertThatThrownBy(() -> bad.conversation().recordMessage(RecordMessage.user(conv, "secret").userId("mallory").build()))
          .isInstanceOf(AuthenticationException.class);
      assertThatThrownBy(() -> bad.instance().listen(ListenCallbacks.none())).isInstanceOf(AuthenticationException.class);
      assertThat(bad.instance().isListening()).isFalse();
    }
    assertThat(messagesOf(synap.whoami().instanceId(), "mallory")).isZero();
  }

  @Test
  void nonUuidConversationIdIsRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> synap.conversation().recordMessage(RecordMessage.user("conv-1", "hello").userId("carol").build()))
        .isInstanceOf(InvalidConversationIdException.class)
        .isInstanceOf(InvalidInputException.class);
    synap.instance().listen(ListenCallbacks.none());
    assertThatThrownBy(() -> synap.instance().sendMessage(SendMessage.builder("hi").conversationId("not-a-uuid").userId("carol").build()))
        .isInstanceOf(InvalidConversationIdException.class);
    assertThat(messagesOf(synap.whoami().instanceId(), "carol")).isZero();
  }

  @Test
  void missingCustomerOnAB2bInstanceIsInvalidInput() {
    String b2bKey = ts.newInstanceKey(RelationshipMode.B2B);
    try (Synap b2b = ts.client(b2bKey)) {
      String conv = UUID.randomUUID().toString();
      assertThat(b2b.whoami().isB2b()).isTrue();
      assertThatThrownBy(() -> b2b.conversation().recordMessage(RecordMessage.user(conv, "hi").userId("dave").build()))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> b2b.user().context().fetch(FetchRequest.forUser("dave").build())).isInstanceOf(InvalidInputException.class);
      b2b.instance().listen(ListenCallbacks.none());
      assertThatThrownBy(() -> b2b.instance().sendMessage(SendMessage.builder("hi").userId("dave").build()))
          .isInstanceOf(InvalidInputException.class);
      assertThat(messagesOf(b2b.whoami().instanceId(), "dave")).isZero();
      // With the customer it is accepted.
      b2b.conversation().recordMessage(RecordMessage.user(conv, "hi there, I am Dave").userId("dave").customerId("acme").build());
      assertThat(messagesOf(b2b.whoami().instanceId(), "dave")).isEqualTo(1);
    }
  }

  @Test
  void serverRefusalsMapToTypedExceptionsToo() {
    // Bypass the SDK's own checks to prove the server refuses as well, with the documented status.
    RestTransport raw = new RestTransport(synap.config());
    java.util.Map<String, Object> body = new java.util.HashMap<>();
    body.put("conversation_id", "bad");
    body.put("role", "user");
    body.put("content", "x");
    assertThatThrownBy(() -> raw.post("/v1/conversations/messages", body)).isInstanceOf(InvalidInputException.class);
    body.put("conversation_id", UUID.randomUUID().toString());
    body.put("role", "system");
    assertThatThrownBy(() -> raw.post("/v1/conversations/messages", body)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> raw.post("/v1/context/galaxy/fetch", java.util.Map.of())).isInstanceOf(ContextNotFoundException.class);
    assertThat(storedMessages()).isZero();
    raw.close();
  }
}
