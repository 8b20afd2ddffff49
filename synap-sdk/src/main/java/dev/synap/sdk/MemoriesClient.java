package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Documents and memories ({@code /api/v1/memories}): create, batch create, ingestion status,
 * get, list, update, delete and history. Results are typed ({@link Memory}, {@link MemoryPage},
 * {@link MemoryHistoryEntry}, {@link DeletedMemory}), read leniently from the server's JSON.
 */
public final class MemoriesClient {
  private final RestTransport rest;

  MemoriesClient(RestTransport rest) {
    this.rest = rest;
  }

  /** An accepted document: poll {@link #status} with the ingestion id, or {@link #waitForCompletion}. */
  public record Accepted(String ingestionId, String documentId, String status, String queuedAt) {}

  /** Progress of an ingestion: {@code queued}, {@code processing}, {@code completed}, {@code failed} or {@code partial_success}. */
  public record IngestionStatus(String ingestionId, String documentId, String status, int memoriesCreated, List<String> memoryIds, String errorMessage) {
    public boolean finished() {
      return status.equals("completed") || status.equals("failed") || status.equals("partial_success");
    }
  }

  /** A document to turn into memories; text, Markdown or JSON (pass JSON as text). */
  public record Document(String document, String documentType, String documentId, Instant createdAt, String userId, String customerId,
      Map<String, String> metadata) {
    public static Document of(String text) {
      return new Document(text, "document", null, null, null, null, Map.of());
    }

    public Document forUser(String user) {
      return new Document(document, documentType, documentId, createdAt, user, customerId, metadata);
    }

    public Document forCustomer(String customer) {
      return new Document(document, documentType, documentId, createdAt, userId, customer, metadata);
    }

    public Document withId(String id) {
      return new Document(document, documentType, id, createdAt, userId, customerId, metadata);
    }

    public Document withType(String type) {
      return new Document(document, type, documentId, createdAt, userId, customerId, metadata);
    }

    Map<String, Object> body() {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("document", document);
      b.put("document_type", documentType == null ? "ai-chat-conversation" : documentType);
      b.put("document_id", documentId);
      b.put("document_created_at", createdAt == null ? null : createdAt.toString());
      b.put("user_id", userId);
      b.put("customer_id", customerId);
      b.put("mode", "long-range");
      b.put("metadata", metadata == null ? Map.of() : metadata);
      return b;
    }
  }

  public Accepted create(Document d) {
    return accepted(rest.post("/api/v1/memories/create", d.body()));
  }

  /** Creates several documents; with {@code failFast} the first invalid one fails the call. */
  public List<Accepted> batchCreate(List<Document> documents, boolean failFast) {
    JsonNode r = rest.post("/api/v1/memories/batch", Map.of("documents", documents.stream().map(Document::body).toList(), "fail_fast", failFast));
    List<Accepted> out = new ArrayList<>();
    for (JsonNode n : r.path("results")) out.add(accepted(n));
    return out;
  }

  public IngestionStatus status(String ingestionId) {
    JsonNode n = rest.get("/api/v1/memories/status/" + ingestionId);
    List<String> ids = new ArrayList<>();
    n.path("memory_ids").forEach(i -> ids.add(i.asText()));
    return new IngestionStatus(n.path("ingestion_id").asText(), n.path("document_id").asText(null), n.path("status").asText(),
        n.path("memories_created").asInt(), ids, n.path("error_message").isNull() ? null : n.path("error_message").asText(null));
  }

  /** Polls until the ingestion finishes or the timeout passes (then returns the last status). */
  public IngestionStatus waitForCompletion(String ingestionId, Duration timeout, Duration pollEvery) {
    long deadline = System.nanoTime() + timeout.toNanos();
    IngestionStatus s = status(ingestionId);
    while (!s.finished() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(pollEvery);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return s;
      }
      s = status(ingestionId);
    }
    return s;
  }

  /**
   * One memory.
   *
   * @throws ContextNotFoundException when the instance has no memory with that id
   */
  public Memory get(String memoryId) {
    return Memory.from(rest.get("/api/v1/memories/" + encode(memoryId)));
  }

  /**
   * A page of a user's (or, with both ids null, the instance's) memories, newest first;
   * {@code includeHistory} adds superseded and retracted ones. Ask for the next page with
   * {@link MemoryPage#nextOffset()}.
   */
  public MemoryPage list(String userId, String customerId, int limit, int offset, boolean includeHistory) {
    StringBuilder q = new StringBuilder("/api/v1/memories?limit=").append(limit).append("&offset=").append(offset);
    if (userId != null) q.append("&user_id=").append(encode(userId));
    if (customerId != null) q.append("&customer_id=").append(encode(customerId));
    if (includeHistory) q.append("&status=all");
    return MemoryPage.from(rest.get(q.toString()), limit, offset);
  }

  /** Changes a memory's text: {@code replace}, {@code append} or {@code smart-merge} (adds only what is new); returns the memory as stored. */
  public Memory update(String memoryId, String document, String mergeStrategy) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("document", document);
    b.put("merge_strategy", mergeStrategy == null ? "smart-merge" : mergeStrategy);
    return Memory.from(rest.send("PATCH", "/api/v1/memories/" + encode(memoryId), b));
  }

  public DeletedMemory delete(String memoryId) {
    return DeletedMemory.from(rest.send("DELETE", "/api/v1/memories/" + encode(memoryId), null), memoryId);
  }

  /** Every change of a memory, oldest first: created, reinforced, updated, superseded, retracted, deleted. */
  public List<MemoryHistoryEntry> history(String memoryId) {
    List<MemoryHistoryEntry> out = new ArrayList<>();
    for (JsonNode e : rest.get("/api/v1/memories/" + encode(memoryId) + "/history").path("history")) out.add(MemoryHistoryEntry.from(e));
    return List.copyOf(out);
  }

  private static String encode(String pathOrQueryPart) {
    return URLEncoder.encode(pathOrQueryPart, StandardCharsets.UTF_8);
  }

  private static Accepted accepted(JsonNode n) {
    return new Accepted(n.path("ingestion_id").asText(null), n.path("document_id").asText(null), n.path("status").asText(null),
        n.path("queued_at").asText(null));
  }
}
