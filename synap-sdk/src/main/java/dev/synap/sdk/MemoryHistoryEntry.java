package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/** One change of a memory ({@link MemoriesClient#history}), oldest first. */
public final class MemoryHistoryEntry {
  private final String action;
  private final String content;
  private final String status;
  private final Instant at;

  private MemoryHistoryEntry(JsonNode n) {
    this.action = JsonFields.text(n, "action");
    this.content = JsonFields.text(n, "content");
    this.status = JsonFields.text(n, "status");
    this.at = JsonFields.instant(n, "at");
  }

  static MemoryHistoryEntry from(JsonNode n) {
    return new MemoryHistoryEntry(n);
  }

  /** {@code created}, {@code reinforced}, {@code updated}, {@code superseded}, {@code retracted} or {@code deleted}. */
  public String action() {
    return action;
  }

  /** The text after the change; null for entries that keep no content (a deletion). */
  public String content() {
    return content;
  }

  public String status() {
    return status;
  }

  public Instant at() {
    return at;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemoryHistoryEntry e && Objects.equals(action, e.action) && Objects.equals(content, e.content)
        && Objects.equals(status, e.status) && Objects.equals(at, e.at);
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, content, status, at);
  }

  @Override
  public String toString() {
    return "MemoryHistoryEntry[" + action + " at " + at + ", " + status + "]";
  }
}
