package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/** What {@link Synap#deleteUser} removed on the server: counts of memories, raw messages and conversations. */
public final class DeletedUser {
  private final String userId;
  private final long memories;
  private final long messages;
  private final long conversations;
  private final Instant deletedAt;

  private DeletedUser(String userId, long memories, long messages, long conversations, Instant deletedAt) {
    this.userId = userId;
    this.memories = memories;
    this.messages = messages;
    this.conversations = conversations;
    this.deletedAt = deletedAt;
  }

  static DeletedUser from(JsonNode n, String requestedId) {
    JsonNode d = n.path("deleted");
    String id = JsonFields.text(n, "user_id");
    return new DeletedUser(id == null ? requestedId : id, JsonFields.count(d, "memories"), JsonFields.count(d, "messages"),
        JsonFields.count(d, "conversations"), JsonFields.instant(n, "deleted_at"));
  }

  public String userId() {
    return userId;
  }

  public long memories() {
    return memories;
  }

  public long messages() {
    return messages;
  }

  public long conversations() {
    return conversations;
  }

  public Instant deletedAt() {
    return deletedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeletedUser u && Objects.equals(userId, u.userId) && memories == u.memories && messages == u.messages
        && conversations == u.conversations && Objects.equals(deletedAt, u.deletedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, memories, messages, conversations, deletedAt);
  }

  @Override
  public String toString() {
    return "DeletedUser[" + userId + ": memories=" + memories + ", messages=" + messages + ", conversations=" + conversations + "]";
  }
}
