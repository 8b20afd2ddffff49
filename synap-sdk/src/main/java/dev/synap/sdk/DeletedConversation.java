package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/** What {@link ConversationClient#delete} removed on the server: counts of memories and raw messages. */
public final class DeletedConversation {
  private final String conversationId;
  private final long memories;
  private final long messages;
  private final Instant deletedAt;

  private DeletedConversation(String conversationId, long memories, long messages, Instant deletedAt) {
    this.conversationId = conversationId;
    this.memories = memories;
    this.messages = messages;
    this.deletedAt = deletedAt;
  }

  static DeletedConversation from(JsonNode n, String requestedId) {
    JsonNode d = n.path("deleted");
    String id = JsonFields.text(n, "conversation_id");
    return new DeletedConversation(id == null ? requestedId : id, JsonFields.count(d, "memories"), JsonFields.count(d, "messages"),
        JsonFields.instant(n, "deleted_at"));
  }

  public String conversationId() {
    return conversationId;
  }

  public long memories() {
    return memories;
  }

  public long messages() {
    return messages;
  }

  public Instant deletedAt() {
    return deletedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeletedConversation c && Objects.equals(conversationId, c.conversationId) && memories == c.memories
        && messages == c.messages && Objects.equals(deletedAt, c.deletedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(conversationId, memories, messages, deletedAt);
  }

  @Override
  public String toString() {
    return "DeletedConversation[" + conversationId + ": memories=" + memories + ", messages=" + messages + "]";
  }
}
