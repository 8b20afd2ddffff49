package dev.synap.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.NotFoundException;
import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionRequest;
import dev.synap.core.ingest.DocumentChunker;
import dev.synap.core.ingest.DocumentRequest;
import dev.synap.core.ingest.IngestPipeline;
import dev.synap.core.ingest.RecordValidator;
import dev.synap.core.ingest.TranscriptText;
import dev.synap.core.ingest.UploadedDocument;
import dev.synap.core.model.Evidence;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.ScopeRules;
import dev.synap.server.context.Iso;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Documents and memories (contract 9.12), transcripts (9.5) and the rest of the write path:
 * create, batch, upload, ingestion status, get, list, update, delete, history, user deletion.
 */
final class MemoryRoutes {
  static final int MAX_DOCUMENT_CHARS = 1_000_000;
  /** An uploaded file: the longest document at up to four UTF-8 bytes a character. */
  static final long MAX_UPLOAD_BYTES = MAX_DOCUMENT_CHARS * 4L;
  static final int MAX_BATCH_DOCUMENTS = 100;
  /** Contract 4 DocumentType, plus the formats our chunker also understands. */
  static final Set<String> DOCUMENT_TYPES = Set.of("ai-chat-conversation", "document", "email", "pdf", "image", "audio",
      "meeting-transcript", "markdown", "json");
  static final Set<String> INGEST_MODES = Set.of("fast", "long-range");
  static final Set<String> RELATIONSHIP_TYPES = Set.of("b2c", "b2b");
  static final Set<String> MERGE_STRATEGIES = Set.of("replace", "append", "smart-merge");
  private final MemoryEngine engine;

  MemoryRoutes(MemoryEngine engine) {
    this.engine = engine;
  }

  void register(RoutesConfig app) {
    // The official client calls /api/v1/memories/...; the documentation names /v1/memories (create
    // is a POST on the collection itself there). Both are served, with the same handlers.
    for (String base : List.of("/api/v1/memories", "/v1/memories")) {
      app.post(base + "/create", this::create);
      app.post(base + "/batch", this::batch);
      app.post(base + "/upload", this::upload);
      app.get(base + "/status/{ingestion_id}", this::status);
      app.get(base, this::list);
      app.get(base + "/{memory_id}/history", this::history);
      app.get(base + "/{memory_id}", ctx -> ctx.json(memoryJson(find(ctx))));
      app.patch(base + "/{memory_id}", this::update);
      app.delete(base + "/{memory_id}", this::delete);
    }
    app.post("/v1/memories", this::create);
    app.post("/v1/conversations/ingest", this::transcript);
    app.get("/v1/conversations/messages/{message_id}/status", this::messageStatus);
    app.delete("/v1/users/{user_id}", this::deleteUser);
    app.delete("/v1/customers/{customer_id}", this::deleteCustomer);
    app.delete("/v1/conversations/{conversation_id}", this::deleteConversation);
    app.get("/v1/users/{user_id}/profile", this::profile);
    app.get("/api/v1/entities", this::entities);
    app.get("/api/v1/entities/{entity_id}/relations", this::relations);
  }

  private void create(Context ctx) {
    ctx.json(accepted(createDocument(RestApi.caller(ctx).instance(), Bodies.object(ctx))));
  }

  private IngestPipeline.DocumentAccepted createDocument(Instance instance, JsonNode b) {
    String text = documentText(b);
    String documentType = Bodies.oneOf(b, "document_type", DOCUMENT_TYPES);
    String mode = Bodies.oneOf(b, "mode", INGEST_MODES);
    return ingestText(instance, text, documentType, Bodies.string(b, "document_id"), Bodies.string(b, "user_id"),
        Bodies.string(b, "customer_id"), Bodies.string(b, "document_created_at"), withMode(Bodies.metadata(b, "metadata"), mode));
  }

  /** The ingestion mode travels with each chunk: {@code fast} skips linking and consolidation (see IngestPipeline). */
  private static Map<String, String> withMode(Map<String, String> metadata, String mode) {
    if (!IngestPipeline.FAST.equals(mode)) return metadata;
    Map<String, String> out = new LinkedHashMap<>(metadata);
    out.put(IngestPipeline.MODE_KEY, IngestPipeline.FAST);
    return out;
  }

  private IngestPipeline.DocumentAccepted ingestText(Instance instance, String text, String documentType, String documentId, String userId,
      String customerId, String createdAt, Map<String, String> metadata) {
    if (text.isBlank()) throw new InvalidInputException("document must not be empty");
    if (text.length() > MAX_DOCUMENT_CHARS) throw new InvalidInputException("document is longer than " + MAX_DOCUMENT_CHARS + " characters");
    RecordValidator.checkMetadata(metadata);
    // Contract 9.12 documents for documents that on a B2C instance either id gives user scope: a
    // customer id alone is taken as the user's (elsewhere B2C refuses customer ids).
    if (instance.mode() == dev.synap.core.tenant.RelationshipMode.B2C && customerId != null && !customerId.isBlank()) {
      ScopeRules.requireId("customer_id", customerId.strip()); // a malformed id is refused, not dropped
      if (userId == null || userId.isBlank()) userId = customerId;
      customerId = null;
    }
    ScopeRules.ScopeIds ids = ScopeRules.check(instance, Scope.CLIENT, null, userId, customerId);
    String docId = documentId == null || documentId.isBlank() ? UUID.randomUUID().toString() : documentId;
    if (docId.length() > 256) throw new InvalidInputException("document_id is longer than 256 characters");
    Instant created = parseTime("document_created_at", createdAt);
    engine.ingest().requireRoom(1); // a full queue refuses before the document is chunked
    List<DocumentRequest.Part> parts = DocumentChunker.chunk(text, DocumentChunker.detect(documentType, text)).stream()
        .map(c -> new DocumentRequest.Part("document", c, created, null)).toList();
    Map<String, String> meta = new LinkedHashMap<>(metadata);
    if (documentType != null) meta.put("document_type", documentType);
    return engine.ingest().ingestDocument(new DocumentRequest(instance.instanceId(), "document", docId, ids.userId(), ids.customerId(),
        "doc:" + docId, parts, meta, created));
  }

  /** Contract 9.12: a document is a string or an object (kept as its JSON text). */
  private static String documentText(JsonNode b) {
    JsonNode doc = b.get("document");
    if (doc == null || doc.isNull()) throw new InvalidInputException("document is required");
    if (!doc.isTextual() && !doc.isObject()) throw new InvalidInputException("document must be a string or an object");
    return doc.isTextual() ? doc.asText() : doc.toString();
  }

  private static Map<String, Object> accepted(IngestPipeline.DocumentAccepted a) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("ingestion_id", a.ingestionId());
    o.put("document_id", a.documentId());
    o.put("status", a.duplicate() ? "duplicate" : "queued");
    o.put("queued_at", Iso.of(a.queuedAt()));
    return o;
  }

  private void batch(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    JsonNode b = Bodies.object(ctx);
    JsonNode docs = b.get("documents");
    if (docs == null || !docs.isArray()) throw new InvalidInputException("documents must be an array");
    if (docs.size() > MAX_BATCH_DOCUMENTS) throw new InvalidInputException("at most " + MAX_BATCH_DOCUMENTS + " documents per batch");
    boolean failFast = Bodies.bool(b, "fail_fast", false);
    List<Map<String, Object>> results = new ArrayList<>();
    int ok = 0;
    for (JsonNode d : docs) {
      try {
        if (!d.isObject()) throw new InvalidInputException("each document must be an object");
        results.add(accepted(createDocument(instance, d)));
        ok++;
      } catch (InvalidInputException | dev.synap.core.ConflictException e) {
        if (failFast) throw e;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ingestion_id", null);
        r.put("document_id", d.isObject() ? Bodies.string(d, "document_id") : null);
        r.put("status", "failed");
        r.put("queued_at", null);
        r.put("error_message", e.getMessage());
        results.add(r);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("batch_id", UUID.randomUUID().toString());
    out.put("total", docs.size());
    out.put("succeeded", ok);
    out.put("failed", docs.size() - ok);
    out.put("results", results);
    ctx.json(out);
  }

  private void upload(Context ctx) throws IOException {
    Instance instance = RestApi.caller(ctx).instance();
    UploadedFile file = uploadedFile(ctx);
    String text;
    String detected = null;
    if (file != null) {
      if (file.size() > MAX_UPLOAD_BYTES) throw fileTooLarge();
      byte[] bytes;
      try (InputStream in = file.content()) {
        bytes = in.readAllBytes();
      }
      UploadedDocument.Text read = UploadedDocument.read(bytes, file.contentType(), file.filename());
      text = read.text();
      detected = read.documentType();
    } else {
      text = ctx.formParam("text");
      if (text == null) throw new InvalidInputException("either a file part named 'file' or a 'text' field is required");
    }
    Map<String, String> metadata = Bodies.metadataText(ctx.formParam("metadata"), "metadata");
    metadata = withMode(metadata, Bodies.oneOf("mode", ctx.formParam("mode"), INGEST_MODES));
    Bodies.oneOf("relationship_type", ctx.formParam("relationship_type"), RELATIONSHIP_TYPES);
    String type = Bodies.oneOf("document_type", ctx.formParam("document_type"), DOCUMENT_TYPES);
    if (type == null) type = detected;
    ctx.json(accepted(ingestText(instance, text, type, null, ctx.formParam("user_id"), ctx.formParam("customer_id"), null, metadata)));
  }

  private static UploadedFile uploadedFile(Context ctx) {
    try {
      return ctx.uploadedFile("file");
    } catch (Exception e) {
      // Jetty drops the connection after a failed parse, and without this header a client that
      // reuses connections would send its next request into the closing socket.
      ctx.header("Connection", "close");
      // Jetty's parser stops at the multipart limits while the body arrives and says so in the
      // failure it raises (an IllegalStateException, wrapped differently depending on where
      // parsing stopped); every other failure is a malformed body (no boundary, a part without
      // headers), which Javalin's Kotlin code may also throw as an undeclared IOException.
      for (Throwable t = e; t != null; t = t.getCause()) {
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("max file size exceeded")) throw fileTooLarge();
        if (m.contains("max length exceeded")) throw Bodies.tooLarge();
      }
      // Not the exception's text: it names Jetty's classes.
      throw new InvalidInputException("malformed multipart body (a boundary, part headers or the closing delimiter is missing)");
    }
  }

  private static ApiError fileTooLarge() {
    return new ApiError(413, "payload_too_large", "an uploaded file is larger than " + MAX_UPLOAD_BYTES + " bytes");
  }

  private void status(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    MessageStore.IngestionStatus s = engine.store().messages().ingestionStatus(instance.instanceId(), ctx.pathParam("ingestion_id"))
        .orElseThrow(() -> new NotFoundException("no ingestion " + ctx.pathParam("ingestion_id")));
    String status;
    if (s.total() == 0 || s.queued() == s.total()) status = "queued";
    else if (s.queued() > 0 || s.processing() > 0) status = "processing";
    else if (s.failed() == 0) status = "completed";
    else status = s.completed() == 0 ? "failed" : "partial_success";
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("ingestion_id", s.ingestion().ingestionId());
    o.put("document_id", s.ingestion().documentId());
    o.put("status", status);
    o.put("queued_at", Iso.of(s.ingestion().queuedAt()));
    o.put("started_at", status.equals("queued") ? null : Iso.of(s.ingestion().queuedAt()));
    o.put("completed_at", Iso.of(s.completedAt()));
    o.put("memories_created", s.memoryIds().size());
    o.put("memory_ids", s.memoryIds());
    o.put("parts_total", s.total());
    o.put("parts_completed", s.completed());
    o.put("error_message", s.firstError());
    ctx.json(o);
  }

  private Memory find(Context ctx) {
    return engine.store().memories().get(RestApi.caller(ctx).instance().instanceId(), ctx.pathParam("memory_id"))
        .orElseThrow(() -> new NotFoundException("no memory " + ctx.pathParam("memory_id")));
  }

  /**
   * The documented page envelope {@code {data, page, page_size, total, total_pages}} (page from 1,
   * page_size 20 by default, at most 100), plus the {@code memories}/{@code limit}/{@code offset}
   * keys of our earlier shape, which {@code limit}/{@code offset} parameters still drive.
   */
  private void list(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    String user = ctx.queryParam("user_id");
    String customer = ctx.queryParam("customer_id");
    ScopeRules.ScopeIds ids = ScopeRules.check(instance, Scope.CLIENT, ctx.queryParam("conversation_id"), user, customer);
    String typeParam = ctx.queryParam("type") != null ? ctx.queryParam("type") : ctx.queryParam("memory_type");
    Set<MemoryType> types = typeParam == null ? Set.of() : dev.synap.server.context.ContextFetcher.types(List.of(typeParam));
    boolean paged = ctx.queryParam("limit") == null && ctx.queryParam("offset") == null;
    int pageSize = paged ? intParam(ctx, "page_size", 20, 1, 100) : intParam(ctx, "limit", 50, 1, 500);
    int page = intParam(ctx, "page", 1, 1, 10_000_000);
    int offset = paged ? (page - 1) * pageSize : intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    boolean history = "all".equals(ctx.queryParam("status"));
    Scope level = ids.userId() != null ? Scope.USER : ids.customerId() != null ? Scope.CUSTOMER : null;
    MemoryFilter filter = new MemoryFilter(instance.instanceId(), level, ids.customerId(), ids.userId(), ids.conversationId(), types, history);
    List<Map<String, Object>> out = engine.store().memories().list(filter, pageSize, offset).stream().map(MemoryRoutes::memoryJson).toList();
    long total = engine.store().memories().count(filter);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("data", out);
    body.put("page", offset / pageSize + 1);
    body.put("page_size", pageSize);
    body.put("total", total);
    body.put("total_pages", (total + pageSize - 1) / pageSize);
    body.put("memories", out);
    body.put("limit", pageSize);
    body.put("offset", offset);
    ctx.json(body);
  }

  private void history(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    String id = ctx.pathParam("memory_id");
    List<MemoryStore.HistoryEntry> entries = engine.store().memories().history(instance.instanceId(), id);
    if (entries.isEmpty()) throw new NotFoundException("no memory " + id);
    List<Map<String, Object>> out = new ArrayList<>();
    for (MemoryStore.HistoryEntry e : entries) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("action", e.action());
      o.put("content", e.content());
      o.put("status", e.status());
      o.put("at", Iso.of(e.at()));
      out.add(o);
    }
    ctx.json(Map.of("memory_id", id, "history", out));
  }

  private void update(Context ctx) {
    Memory m = find(ctx);
    JsonNode b = Bodies.object(ctx);
    String text = documentText(b);
    if (text.isBlank() || text.length() > RecordValidator.MAX_CONTENT_CHARS) {
      throw new InvalidInputException("document must be 1-" + RecordValidator.MAX_CONTENT_CHARS + " characters");
    }
    String documentType = Bodies.oneOf(b, "document_type", DOCUMENT_TYPES);
    Map<String, Object> attributes = new LinkedHashMap<>();
    if (documentType != null) attributes.put("document_type", documentType);
    if (b.hasNonNull("metadata")) {
      Map<String, String> metadata = Bodies.metadata(b, "metadata");
      RecordValidator.checkMetadata(metadata);
      attributes.put("metadata", metadata);
    }
    String strategy = b.hasNonNull("merge_strategy") ? Bodies.oneOf(b, "merge_strategy", MERGE_STRATEGIES) : "smart-merge";
    String merged = switch (strategy) {
      case "replace" -> text;
      case "append" -> m.content() + "\n" + text;
      case "smart-merge" -> smartMerge(m.content(), text);
      default -> throw new InvalidInputException("merge_strategy must be replace, append or smart-merge");
    };
    Memory updated = engine.writes().update(m.instanceId(), m.memoryId(), merged, attributes)
        .orElseThrow(() -> new NotFoundException("no memory " + m.memoryId())); // deleted meanwhile
    ctx.json(memoryJson(updated));
  }

  /** Keeps the old text and adds only the new sentences it does not already say. */
  static String smartMerge(String old, String added) {
    String lowerOld = old.toLowerCase(Locale.ROOT);
    if (added.toLowerCase(Locale.ROOT).contains(lowerOld)) return added;
    StringBuilder out = new StringBuilder(old);
    for (String sentence : added.split("(?<=[.!?])\\s+")) {
      if (!lowerOld.contains(sentence.toLowerCase(Locale.ROOT).strip())) out.append(out.isEmpty() ? "" : " ").append(sentence.strip());
    }
    return out.toString();
  }

  private void delete(Context ctx) {
    Memory m = find(ctx);
    engine.writes().delete(m.instanceId(), m.memoryId());
    ctx.json(Map.of("memory_id", m.memoryId(), "deleted_at", Iso.now()));
  }

  private void transcript(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    JsonNode b = Bodies.object(ctx);
    String external = Bodies.string(b, "conversation_id");
    if (external == null || external.isBlank() || external.length() > 256) throw new InvalidInputException("conversation_id is required (at most 256 characters)");
    ScopeRules.ScopeIds ids = ScopeRules.check(instance, Scope.CLIENT, null, Bodies.string(b, "user_id"), Bodies.string(b, "customer_id"));
    String type = Bodies.string(b, "conversation_type");
    if (type != null && type.length() > 64) throw new InvalidInputException("conversation_type is longer than 64 characters");
    for (String big : List.of("analysis", "metadata")) {
      JsonNode v = b.get(big);
      if (v == null || v.isNull()) continue;
      if (!v.isObject()) throw new InvalidInputException(big + " must be an object");
      if (v.toString().length() > 64 * 1024) throw new InvalidInputException(big + " is larger than 64 KB");
    }
    Instant started = parseTime("started_at", Bodies.string(b, "started_at"));
    Instant ended = parseTime("ended_at", Bodies.string(b, "ended_at"));
    engine.ingest().requireRoom(1); // a full queue refuses before the transcript is split
    List<DocumentRequest.Part> turns = turns(b.get("transcript"), started);
    if (turns.isEmpty()) throw new InvalidInputException("transcript has no turns");
    String conversationId = isUuid(external) ? external : UUID.nameUUIDFromBytes((instance.instanceId() + ":" + external).getBytes(StandardCharsets.UTF_8)).toString();
    Map<String, String> meta = new LinkedHashMap<>(Bodies.metadata(b, "metadata"));
    RecordValidator.checkMetadata(meta);
    meta.put("external_conversation_id", external);
    if (type != null) meta.put("conversation_type", type);
    IngestPipeline.DocumentAccepted a;
    try {
      a = engine.ingest().ingestDocument(new DocumentRequest(instance.instanceId(), "transcript", external, ids.userId(), ids.customerId(),
          conversationId, turns, meta, started));
    } catch (dev.synap.core.ConflictException e) {
      throw new dev.synap.core.ConflictException("transcript_conflict", e.getMessage());
    }
    if (!a.duplicate()) {
      JsonNode analysis = b.get("analysis");
      engine.store().messages().describeConversation(new MessageStore.ConversationDetails(instance.instanceId(), conversationId, external, type,
          started, ended, analysis == null || analysis.isNull() ? null : analysis.toString()));
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("conversation_id", conversationId);
    o.put("external_conversation_id", external);
    o.put("ingestion_id", a.ingestionId());
    o.put("status", a.duplicate() ? "duplicate" : "queued");
    o.put("turns_recorded", a.duplicate() ? 0 : a.parts());
    o.put("summary_status", summarise(instance.instanceId(), conversationId));
    o.put("queued_at", Iso.of(a.queuedAt()));
    ctx.json(o);
  }

  /**
   * A transcript is summarised as it arrives (a compaction of its conversation, read back by
   * {@code get_compacted}, context-for-prompt and summary-mode fetches): {@code in_progress} when one
   * was started or is running, {@code already_compacted} when a re-sent transcript has its summary.
   */
  private String summarise(String instanceId, String conversationId) {
    Optional<Compaction> latest = engine.compactions().latest(instanceId, conversationId);
    if (latest.isPresent() && latest.get().isRunning()) return "in_progress";
    if (latest.isPresent() && latest.get().isCompleted()) return "already_compacted";
    try {
      engine.compactions().compact(CompactionRequest.summary(instanceId, conversationId));
      return "in_progress";
    } catch (dev.synap.core.ConflictException e) {
      return "in_progress";
    } catch (RuntimeException e) {
      return "skipped";
    }
  }

  private static List<DocumentRequest.Part> turns(JsonNode t, Instant started) {
    List<DocumentRequest.Part> out = new ArrayList<>();
    if (t == null || t.isNull()) throw new InvalidInputException("transcript is required");
    if (t.isTextual()) return TranscriptText.turns(t.asText(), started);
    if (!t.isArray()) throw new InvalidInputException("transcript must be a string or an array of turns");
    if (t.size() > TranscriptText.MAX_TURNS) throw new InvalidInputException("transcript has more than " + TranscriptText.MAX_TURNS + " turns");
    for (JsonNode turn : t) {
      if (!turn.isObject()) throw new InvalidInputException("each turn must be an object");
      String role = Bodies.string(turn, "role");
      if (!"user".equals(role) && !"assistant".equals(role)) throw new InvalidInputException("turn role must be 'user' or 'assistant'");
      String content = Bodies.string(turn, "content");
      if (content == null || content.isBlank()) throw new InvalidInputException("turn content must not be empty");
      if (content.length() > RecordValidator.MAX_CONTENT_CHARS) throw new InvalidInputException("a turn is longer than " + RecordValidator.MAX_CONTENT_CHARS + " characters");
      Instant at = parseTime("timestamp", Bodies.string(turn, "timestamp"));
      JsonNode turnMetadata = turn.get("metadata");
      if (turnMetadata != null && !turnMetadata.isNull() && !turnMetadata.isObject()) throw new InvalidInputException("turn metadata must be an object");
      out.add(new DocumentRequest.Part(role, content, at != null ? at : started, Bodies.string(turn, "speaker")));
    }
    return out;
  }

  private void messageStatus(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    MessageStore.Status s = engine.store().messages().status(instance.instanceId(), ctx.pathParam("message_id"))
        .orElseThrow(() -> new NotFoundException("no message " + ctx.pathParam("message_id")));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("message_id", s.messageId());
    o.put("status", s.status());
    o.put("memories_created", s.memoriesCreated());
    o.put("error_message", s.error());
    ctx.json(o);
  }

  private void deleteUser(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    ScopeRules.ScopeIds ids = ScopeRules.check(instance, Scope.USER, null, ctx.pathParam("user_id"), ctx.queryParam("customer_id"));
    SystemOfRecord.Deleted d = engine.deleteUser(instance.instanceId(), ids.customerId(), ids.userId());
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("user_id", ids.userId());
    o.put("deleted", Map.of("memories", d.memories(), "messages", d.messages(), "conversations", d.conversations()));
    o.put("deleted_at", Iso.now());
    ctx.json(o);
  }

  /** A B2B customer with all its users (B2C has no customers: 400). */
  private void deleteCustomer(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    if (instance.mode() != dev.synap.core.tenant.RelationshipMode.B2B) {
      throw new InvalidInputException("customers exist only on B2B instances; delete users with DELETE /v1/users/{user_id}");
    }
    ScopeRules.ScopeIds ids = ScopeRules.check(instance, Scope.CUSTOMER, null, null, ctx.pathParam("customer_id"));
    ctx.json(deleted("customer_id", ids.customerId(), engine.deleteCustomer(instance.instanceId(), ids.customerId())));
  }

  /** One conversation; 404 when the instance has nothing of it (as compaction answers for it). */
  private void deleteConversation(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    String conversationId = ctx.pathParam("conversation_id");
    ScopeRules.requireUuid("conversation_id", conversationId);
    SystemOfRecord.Deleted d = engine.deleteConversation(instance.instanceId(), conversationId);
    if (d.messages() == 0 && d.memories() == 0 && d.conversations() == 0) throw new NotFoundException("no conversation " + conversationId);
    ctx.json(deleted("conversation_id", conversationId, d));
  }

  private static Map<String, Object> deleted(String idKey, String id, SystemOfRecord.Deleted d) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put(idKey, id);
    o.put("deleted", Map.of("memories", d.memories(), "messages", d.messages(), "conversations", d.conversations()));
    o.put("deleted_at", Iso.now());
    return o;
  }

  /** The instance's entity registry (an extension): canonical names, types and aliases. */
  private void entities(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    List<Map<String, Object>> out = new ArrayList<>();
    for (var e : engine.entities().entities(instance.instanceId())) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("entity_id", e.entityId());
      o.put("name", e.canonicalName());
      o.put("type", e.type().wireName());
      o.put("aliases", e.aliases());
      out.add(o);
    }
    ctx.json(Map.of("entities", out, "total", out.size()));
  }

  /**
   * One entity's relations (an extension): current ones by default, {@code ?status=all} adds the
   * superseded; each names both ends, the memory stating it and which way it points. An entity
   * merged into another answers for itself and for what was merged into it.
   */
  private void relations(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    String id = ctx.pathParam("entity_id");
    String status = ctx.queryParam("status");
    if (status != null && !status.equals("all") && !status.equals("current")) {
      throw new dev.synap.core.InvalidInputException("status must be current or all, not '" + status + "'");
    }
    var entity = engine.store().entities().get(instance.instanceId(), id).orElseThrow(() -> new NotFoundException("no entity " + id));
    java.util.Set<String> ids = new java.util.LinkedHashSet<>(List.of(id));
    for (var m : engine.store().entities().merges(instance.instanceId())) if (m.intoEntityId().equals(id)) ids.add(m.fromEntityId());
    Map<String, String> names = new java.util.HashMap<>();
    List<Map<String, Object>> out = new ArrayList<>();
    for (String one : ids) {
      for (var r : engine.store().relations().ofEntity(instance.instanceId(), one, !"all".equals(status))) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("relation_id", r.relationId());
        o.put("relation", r.relation());
        o.put("direction", ids.contains(r.subjectEntityId()) ? "outgoing" : "incoming");
        o.put("subject", end(instance.instanceId(), r.subjectEntityId(), names));
        o.put("object", end(instance.instanceId(), r.objectEntityId(), names));
        o.put("memory_id", r.memoryId());
        o.put("status", r.status());
        o.put("superseded_by", r.supersededBy());
        o.put("created_at", r.createdAt().toString());
        out.add(o);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("entity_id", entity.entityId());
    body.put("name", entity.canonicalName());
    body.put("relations", out);
    body.put("total", out.size());
    ctx.json(body);
  }

  private Map<String, Object> end(String instanceId, String entityId, Map<String, String> names) {
    String name = names.computeIfAbsent(entityId, e -> engine.store().entities().get(instanceId, e).map(x -> x.canonicalName()).orElse(null));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("entity_id", entityId);
    o.put("name", name);
    return o;
  }

  /** Contract 9.11: {"profile": {"attributes": {...}, "overview", "extras", "_meta"}}; 404 when nothing is known. */
  private void profile(Context ctx) {
    Instance instance = RestApi.caller(ctx).instance();
    ScopeRules.ScopeIds ids = ScopeRules.check(instance, Scope.USER, null, ctx.pathParam("user_id"), ctx.queryParam("customer_id"));
    var profile = engine.profiles().build(instance.instanceId(), ids.customerId(), ids.userId())
        .orElseThrow(() -> new NotFoundException("no profile yet for user " + ids.userId()));
    ctx.json(Map.of("profile", profileJson(profile)));
  }

  /** The inner object of contract 9.11's {@code {"profile": {...}}}, also summary mode's {@code profile}. */
  static Map<String, Object> profileJson(dev.synap.core.profile.UserProfile profile) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    profile.attributes().forEach((name, a) -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("value", a.value());
      o.put("confidence", Math.max(0, Math.min(1, a.confidence())));
      o.put("updated_at", Iso.of(a.updatedAt()));
      o.put("source_conversation_id", a.sourceConversationId());
      attributes.put(name, o);
    });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("attributes", attributes);
    body.put("overview", profile.overview());
    body.put("extras", Map.of());
    body.put("_meta", Map.of("memories_considered", profile.memoriesConsidered(), "updated_at", Iso.of(profile.updatedAt()), "derived", "current_memories"));
    return body;
  }

  static Map<String, Object> memoryJson(Memory m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("memory_id", m.memoryId());
    o.put("memory_type", singular(m.type()));
    o.put("kind", Evidence.kindOf(m)); // evidence: a source sentence kept for retrieval, typed "fact" on the wire
    o.put("content", m.content());
    o.put("confidence", Math.max(0, Math.min(1, m.confidence())));
    o.put("category", m.category());
    o.put("subcategory", m.attributes().get("subcategory"));
    o.put("created_at", Iso.of(m.createdAt()));
    o.put("updated_at", Iso.of(m.updatedAt()));
    o.put("source_document_id", m.conversationId() != null && m.conversationId().startsWith("doc:") ? m.conversationId().substring(4) : null);
    o.put("status", m.status());
    o.put("scope", m.scope().wireName());
    o.put("user_id", m.userId());
    o.put("customer_id", m.customerId());
    o.put("conversation_id", m.conversationId());
    o.put("event_date", m.eventDate());
    o.put("valid_until", m.validUntil());
    o.put("temporal_category", m.temporalCategory());
    o.put("source_message_ids", m.sourceMessageIds());
    o.put("attributes", m.attributes());
    o.put("metadata", m.attributes().getOrDefault("metadata", Map.of()));
    o.put("document_type", m.attributes().get("document_type"));
    return o;
  }

  private static String singular(MemoryType t) {
    return switch (t) {
      case FACT -> "fact";
      case PREFERENCE -> "preference";
      case EPISODE -> "episode";
      case EMOTION -> "emotion";
      case TEMPORAL_EVENT -> "temporal_event";
    };
  }

  private static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null) return fallback;
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be a whole number from " + min + " to " + max);
    }
  }

  /** Clients parse our timestamps with ISO parsers that know only years 0001-9999. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  static Instant parseTime(String field, String v) {
    Instant t = parseIso(field, v);
    if (t != null && (t.isBefore(EARLIEST) || t.isAfter(LATEST))) throw new InvalidInputException(field + " must lie in the years 0001-9999");
    return t;
  }

  private static Instant parseIso(String field, String v) {
    if (v == null || v.isBlank()) return null;
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e2) {
        try {
          return java.time.LocalDateTime.parse(v).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e3) {
          throw new InvalidInputException(field + " must be an ISO-8601 time, got '" + v + "'");
        }
      }
    }
  }

  private static boolean isUuid(String s) {
    try {
      return s.length() == 36 && UUID.fromString(s) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
