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
import java.util.Objects;

/**
 * Documents and memories ({@code /api/v1/memories}): create, batch create, ingestion status,
 * get, list, update, delete and history. Results are typed ({@link Memory}, {@link MemoryPage},
 * {@link MemoryHistoryEntry}, {@link DeletedMemory}), read leniently from the server's JSON.
 */
public final class MemoriesClient {
  private final RestTransport rest;
  private final AnticipationCache cache;

  MemoriesClient(RestTransport rest, AnticipationCache cache) {
    this.rest = rest;
    this.cache = cache;
  }

  /**
   * An accepted document: poll {@link #status} with the ingestion id, or {@link #waitForCompletion}.
   * In a batch, a document refused on its own has status {@code failed} and an error message.
   */
  public static final class Accepted {
    private final String ingestionId;
    private final String documentId;
    private final String status;
    private final String queuedAt;
    private final String errorMessage;

    private Accepted(JsonNode n) {
      this.ingestionId = JsonFields.text(n, "ingestion_id");
      this.documentId = JsonFields.text(n, "document_id");
      this.status = JsonFields.text(n, "status");
      this.queuedAt = JsonFields.text(n, "queued_at");
      this.errorMessage = JsonFields.text(n, "error_message");
    }

    public String ingestionId() {
      return ingestionId;
    }

    public String documentId() {
      return documentId;
    }

    /** {@code queued}, {@code duplicate} (the same document was sent before), or {@code failed} in a batch. */
    public String status() {
      return status;
    }

    /** ISO-8601 time the document was queued. */
    public String queuedAt() {
      return queuedAt;
    }

    public String errorMessage() {
      return errorMessage;
    }

    @Override
    public String toString() {
      return "Accepted[" + ingestionId + ", document " + documentId + ", " + status + (errorMessage == null ? "" : ": " + errorMessage) + "]";
    }
  }

  /** Progress of an ingestion: {@code queued}, {@code processing}, {@code completed}, {@code failed} or {@code partial_success}. */
  public static final class IngestionStatus {
    private final String ingestionId;
    private final String documentId;
    private final String status;
    private final int memoriesCreated;
    private final List<String> memoryIds;
    private final String errorMessage;
    private final int partsTotal;
    private final int partsCompleted;

    private IngestionStatus(JsonNode n) {
      this.ingestionId = JsonFields.text(n, "ingestion_id");
      this.documentId = JsonFields.text(n, "document_id");
      this.status = Objects.requireNonNullElse(JsonFields.text(n, "status"), "queued");
      this.memoriesCreated = (int) JsonFields.count(n, "memories_created");
      this.memoryIds = JsonFields.texts(n, "memory_ids");
      this.errorMessage = JsonFields.text(n, "error_message");
      this.partsTotal = (int) JsonFields.count(n, "parts_total");
      this.partsCompleted = (int) JsonFields.count(n, "parts_completed");
    }

    public String ingestionId() {
      return ingestionId;
    }

    public String documentId() {
      return documentId;
    }

    public String status() {
      return status;
    }

    public int memoriesCreated() {
      return memoriesCreated;
    }

    public List<String> memoryIds() {
      return memoryIds;
    }

    /** The first failure's message, or null. */
    public String errorMessage() {
      return errorMessage;
    }

    /** How many parts (chunks, turns) the document was split into, and how many are done. */
    public int partsTotal() {
      return partsTotal;
    }

    public int partsCompleted() {
      return partsCompleted;
    }

    public boolean finished() {
      return status.equals("completed") || status.equals("failed") || status.equals("partial_success");
    }

    @Override
    public String toString() {
      return "IngestionStatus[" + ingestionId + ", " + status + ", parts " + partsCompleted + "/" + partsTotal + ", memories " + memoriesCreated + "]";
    }
  }

  /**
   * A document to turn into memories; text, Markdown or JSON (pass JSON as text).
   *
   * <pre>{@code Document.of(text).forUser("ann").withId("doc-7")}</pre>
   */
  public static final class Document {
    private final String document;
    private final String documentType;
    private final String documentId;
    private final Instant createdAt;
    private final String userId;
    private final String customerId;
    private final Map<String, String> metadata;

    private Document(String document, String documentType, String documentId, Instant createdAt, String userId, String customerId,
        Map<String, String> metadata) {
      this.document = document;
      this.documentType = documentType;
      this.documentId = documentId;
      this.createdAt = createdAt;
      this.userId = userId;
      this.customerId = customerId;
      this.metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

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

    /** When the document was written (its memories' time reference). */
    public Document withCreatedAt(Instant at) {
      return new Document(document, documentType, documentId, at, userId, customerId, metadata);
    }

    public Document withMetadata(Map<String, String> values) {
      return new Document(document, documentType, documentId, createdAt, userId, customerId, values);
    }

    public String document() {
      return document;
    }

    public String documentType() {
      return documentType;
    }

    public String documentId() {
      return documentId;
    }

    public Instant createdAt() {
      return createdAt;
    }

    public String userId() {
      return userId;
    }

    public String customerId() {
      return customerId;
    }

    public Map<String, String> metadata() {
      return metadata;
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
    return new IngestionStatus(rest.get("/api/v1/memories/status/" + encode(ingestionId)));
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
    return update(memoryId, document, mergeStrategy, null, null);
  }

  /**
   * Changes a memory's text and, when given, its {@code document_type} and {@code metadata} (which
   * replaces the old metadata). Bundles of this client's anticipation cache holding the memory are
   * dropped, so no later fetch answers with its old version.
   */
  public Memory update(String memoryId, String document, String mergeStrategy, String documentType, Map<String, String> metadata) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("document", document);
    b.put("merge_strategy", mergeStrategy == null ? "smart-merge" : mergeStrategy);
    if (documentType != null) b.put("document_type", documentType);
    if (metadata != null) b.put("metadata", metadata);
    Memory updated = Memory.from(rest.send("PATCH", "/api/v1/memories/" + encode(memoryId), b));
    if (cache != null) cache.forget(java.util.Set.of(memoryId), null);
    return updated;
  }

  /** Deletes a memory; bundles of this client's anticipation cache holding it are dropped. */
  public DeletedMemory delete(String memoryId) {
    DeletedMemory deleted = DeletedMemory.from(rest.send("DELETE", "/api/v1/memories/" + encode(memoryId), null), memoryId);
    if (cache != null) cache.forget(java.util.Set.of(memoryId), null);
    return deleted;
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
    return new Accepted(n);
  }
}
