package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/** The server's confirmation of {@link MemoriesClient#delete}. */
public final class DeletedMemory {
  private final String memoryId;
  private final Instant deletedAt;

  private DeletedMemory(String memoryId, Instant deletedAt) {
    this.memoryId = memoryId;
    this.deletedAt = deletedAt;
  }

  static DeletedMemory from(JsonNode n, String requestedId) {
    String id = JsonFields.text(n, "memory_id");
    return new DeletedMemory(id == null ? requestedId : id, JsonFields.instant(n, "deleted_at"));
  }

  public String memoryId() {
    return memoryId;
  }

  public Instant deletedAt() {
    return deletedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeletedMemory d && Objects.equals(memoryId, d.memoryId) && Objects.equals(deletedAt, d.deletedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(memoryId, deletedAt);
  }

  @Override
  public String toString() {
    return "DeletedMemory[" + memoryId + " at " + deletedAt + "]";
  }
}
