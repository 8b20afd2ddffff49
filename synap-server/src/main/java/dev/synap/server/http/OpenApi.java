package dev.synap.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The OpenAPI 3.1 description of the REST edge, served at {@code /openapi.json}.
 *
 * <p>Written beside the routes rather than scraped from them: Javalin keeps only method, path and
 * handler, so bodies, parameters and responses have to be said somewhere, and one table in one
 * class is easier to review than annotations spread over handlers. {@code OpenApiCoverageTest}
 * keeps the two in step: it fails when a registered route is missing here, when an operation here
 * has no route, or when their path parameters differ. Schemas name the fields clients rely on and
 * allow more ({@code additionalProperties} stays open), as the server adds fields over time.
 */
public final class OpenApi {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String ENVELOPE = "#/components/schemas/ErrorEnvelope";
  private static final String OPTIONAL = "x-optional-body";

  private OpenApi() {}

  /** Routes that are not part of the API (the console's HTML pages) and so are not described. */
  public static boolean describes(String path) {
    return !path.equals("/console") && !path.startsWith("/console/");
  }

  /** The build's version, as the jar's manifest gives it (absent when run from classes). */
  public static final String VERSION = java.util.Objects.requireNonNullElse(OpenApi.class.getPackage().getImplementationVersion(), "0.1.0-SNAPSHOT");

  public static ObjectNode document() {
    ObjectNode doc = F.objectNode();
    doc.put("openapi", "3.1.0");
    doc.putObject("info").put("title", "Synap (open, self-hostable) REST API").put("version", VERSION)
        .put("description", "Wire-compatible with Maximem Synap. Errors are {\"detail\": ..., \"code\": ...} with the HTTP status; "
            + "429 and 503 carry an integer Retry-After header.");
    doc.putArray("security").addObject().putArray("bearer");
    ObjectNode components = doc.putObject("components");
    components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
        .put("description", "an instance API key (sk_live_...)");
    components.with("securitySchemes").putObject("admin").put("type", "http").put("scheme", "bearer")
        .put("description", "an admin key (sk_admin_...); only the /dashboard/... routes take it");
    schemas(components.putObject("schemas"));
    ObjectNode paths = doc.putObject("paths");

    open(op(paths, "get", "/health", "The process answers", null, obj("status", "string")));
    open(op(paths, "get", "/ready", "200 while the store answers, the data folder takes writes and every index is open; else 503 not_ready",
        null, obj("status", "string", "queue_depth", "integer")));
    open(text(op(paths, "get", "/metrics", "Prometheus metrics (text exposition format)", null, null)));
    open(op(paths, "get", "/openapi.json", "This document", null, F.objectNode().put("type", "object")));
    op(paths, "get", "/api/v1/auth/whoami", "The key's client, instance and relationship mode", null,
        obj("client_id", "string", "instance_id", "string", "relationship_mode", "string"));

    ((ArrayNode) op(paths, "post", "/v1/conversations/messages", "Record one message (durable before acknowledged)", ref("RecordMessage"),
        ref("Recorded")).get("parameters")).add(header("Idempotency-Key", "makes the record happen once"));
    op(paths, "post", "/v1/conversations/messages/batch", "Record up to 100 messages; per-message results",
        obj("messages", arrayOf(ref("RecordMessage"))), obj("total", "integer", "succeeded", "integer", "failed", "integer",
            "results", arrayOf(F.objectNode().put("type", "object"))));
    op(paths, "get", "/v1/conversations/messages/{message_id}/status", "Extraction status of one message", null,
        obj("message_id", "string", "status", "string", "memories_created", "integer", "error_message", "string"));
    op(paths, "post", "/v1/conversations/ingest", "Ingest a whole transcript (array of turns or 'Speaker: text' lines)",
        obj("conversation_id", "string", "transcript", F.objectNode().set("oneOf", F.arrayNode().add(type("string"))
            .add(arrayOf(obj("role", "string", "content", "string", "timestamp", "string", "speaker", "string")))),
            "user_id", "string", "customer_id", "string", "started_at", "string", "ended_at", "string", "conversation_type", "string",
            "metadata", "object", "analysis", "object"),
        obj("conversation_id", "string", "external_conversation_id", "string", "ingestion_id", "string", "status", "string",
            "turns_recorded", "integer", "summary_status", "string", "queued_at", "string"));
    op(paths, "post", "/v1/context/{scope}/fetch", "Context for a scope (conversation, user, customer or client) within a token budget",
        ref("FetchRequest"), ref("ContextResponse"));

    op(paths, "post", "/v1/conversations/compact", "Start compacting a conversation (answers at once; 409 while one runs)",
        obj("conversation_id", "string", "strategy", "string", "target_tokens", "integer", "force", "boolean"),
        obj("compaction_id", "string", "conversation_id", "string", "status", "string", "trigger_type", "string", "initiated_at", "string",
            "estimated_completion_seconds", "integer", "previous_context", "object", "previous_compaction_id", "string"));
    query(op(paths, "get", "/v1/conversations/{conversation_id}/compacted", "A compacted version (the latest unless version is given)", null,
        obj("formatted_context", "string", "original_token_count", "integer", "compacted_token_count", "integer", "compression_ratio", "number",
            "strategy_used", "string", "compaction_id", "string", "validation_score", "number", "validation_passed", "boolean",
            "quality_warning", "boolean", "ttl_seconds", "integer")), "format", "version");
    op(paths, "get", "/v1/conversations/{conversation_id}/compaction/status", "The latest compaction job of a conversation", null,
        obj("conversation_id", "string", "status", "string", "compaction_id", "string", "completed_at", "string", "compression_ratio", "number",
            "validation_score", "number", "latest_version", "integer"));
    query(op(paths, "get", "/v1/conversations/{conversation_id}/context-for-prompt", "Summary plus the turns after the compaction cutoff", null,
        obj("formatted_context", "string", "available", "boolean", "is_stale", "boolean", "recent_messages", "array",
            "recent_message_count", "integer", "compacted_message_count", "integer", "total_message_count", "integer")), "style");

    ObjectNode accepted = obj("ingestion_id", "string", "document_id", "string", "status", "string", "queued_at", "string");
    // The official client calls /api/v1/memories/...; the documentation names /v1/memories: both are served.
    for (String base : List.of("/api/v1/memories", "/v1/memories")) {
      op(paths, "post", base + "/create", "Create memories from a document (text, Markdown, JSON)", ref("Document"), accepted);
      op(paths, "post", base + "/batch", "Up to 100 documents", obj("documents", arrayOf(ref("Document")), "fail_fast", "boolean"),
          obj("batch_id", "string", "total", "integer", "succeeded", "integer", "failed", "integer", "results", "array"));
      ObjectNode upload = op(paths, "post", base + "/upload", "Upload a file (multipart, 4 MB per file)", null, accepted);
      upload.putObject("requestBody").put("required", true).putObject("content").putObject("multipart/form-data")
          .set("schema", obj("file", F.objectNode().put("type", "string").put("contentMediaType", "application/octet-stream"), "text", "string",
              "document_type", "string", "user_id", "string", "customer_id", "string", "metadata", "string", "mode", "string"));
      op(paths, "get", base + "/status/{ingestion_id}", "Progress of a document or transcript ingestion", null,
          obj("ingestion_id", "string", "document_id", "string", "status", "string", "memories_created", "integer", "memory_ids", "array",
              "parts_total", "integer", "parts_completed", "integer", "error_message", "string"));
      query(op(paths, "get", base, "List memories (newest first); status=all includes superseded and retracted ones", null,
          obj("memories", arrayOf(ref("Memory")), "limit", "integer", "offset", "integer")),
          "user_id", "customer_id", "conversation_id", "type", "status", "limit", "offset");
      op(paths, "get", base + "/{memory_id}", "One memory", null, ref("Memory"));
      op(paths, "patch", base + "/{memory_id}", "Edit a memory's text (replace, append or smart-merge)",
          obj("document", "string", "merge_strategy", "string", "document_type", "string", "metadata", "object"), ref("Memory"));
      op(paths, "delete", base + "/{memory_id}", "Delete a memory (its history keeps a content-free marker)", null,
          obj("memory_id", "string", "deleted_at", "string"));
      op(paths, "get", base + "/{memory_id}/history", "Every change of a memory, oldest first", null,
          obj("memory_id", "string", "history", arrayOf(obj("action", "string", "content", "string", "status", "string", "at", "string"))));
    }
    op(paths, "post", "/v1/memories", "Create memories from a document (the documented form of /api/v1/memories/create)", ref("Document"), accepted);
    ObjectNode deleted = obj("deleted", obj("memories", "integer", "messages", "integer", "conversations", "integer"), "deleted_at", "string");
    op(paths, "delete", "/v1/customers/{customer_id}", "Delete everything holding a customer's words (B2B)", null, deleted);
    op(paths, "delete", "/v1/conversations/{conversation_id}", "Delete a conversation with its turns, memories and compactions", null, deleted);
    query(op(paths, "delete", "/v1/users/{user_id}", "Delete everything holding a user's words", null,
        obj("user_id", "string", "deleted", obj("memories", "integer", "messages", "integer", "conversations", "integer"), "deleted_at", "string")),
        "customer_id");
    query(op(paths, "get", "/v1/users/{user_id}/profile", "Attributes derived from the user's current memories", null, obj("profile", "object")),
        "customer_id");
    op(paths, "get", "/api/v1/entities", "The instance's entity registry with aliases", null,
        obj("entities", arrayOf(obj("entity_id", "string", "name", "string", "type", "string", "aliases", "array")), "total", "integer"));
    ObjectNode end = obj("entity_id", "string", "name", "string");
    query(op(paths, "get", "/api/v1/entities/{entity_id}/relations", "An entity's relations (status=all adds superseded ones)", null,
        obj("entity_id", "string", "name", "string", "relations", arrayOf(obj("relation_id", "string", "relation", "string", "direction", "string",
            "subject", end, "object", end, "memory_id", "string", "status", "string", "superseded_by", "string", "created_at", "string")),
            "total", "integer")), "status");
    op(paths, "post", "/v1/telemetry/batch", "Client telemetry (at most 1000 events)", obj("events", "array", "sdk_version", "string"),
        obj("status", "string", "events_received", "integer"));
    query(op(paths, "get", "/v1/analytics/metrics", "Usage series of the key's instance (needs analytics:read)", null, ref("MetricSeries")),
        "metric", "bucket", "start", "end", "group_by");
    op(paths, "get", "/v1/instance", "The key's own instance with usage (needs instances:read)", null, ref("InstanceUsage"));
    controlPlane(paths);
    return doc;
  }

  /** The admin API ({@code /dashboard/...}): admin key only; every change takes an optional reason the audit log keeps. */
  private static void controlPlane(ObjectNode paths) {
    String inst = "/dashboard/instances/{instance_id}";
    ObjectNode instanceBody = obj("name", "string", "description", "string", "metadata", "object", "reason", "string");
    admin(op(paths, "post", "/dashboard/instances", "Create an instance (user_context_isolation b2c or b2b, fixed afterwards)",
        obj("name", "string", "description", "string", "metadata", "object", "user_context_isolation", "string"), ref("Instance")));
    admin(query(op(paths, "get", "/dashboard/instances", "Instances, a page at a time", null,
        obj("instances", arrayOf(ref("Instance")), "total", "integer", "page", "integer", "page_size", "integer")),
        "page", "page_size", "include_archived"));
    admin(op(paths, "get", inst, "One instance with its usage", null, ref("InstanceUsage")));
    admin(op(paths, "patch", inst, "Rename, describe or re-tag an instance", instanceBody, ref("Instance")));
    admin(query(op(paths, "post", inst + "/archive", "Archive an instance (read-only afterwards)", optional(obj("reason", "string")),
        ref("Instance")), "reason"));
    admin(query(op(paths, "delete", inst, "Delete an instance with everything it holds", null,
        obj("instance_id", "string", "deleted", "boolean")), "reason"));
    admin(op(paths, "get", inst + "/keys", "The instance's API keys (never their secrets)", null, obj("keys", arrayOf(ref("ApiKey")))));
    admin(op(paths, "post", inst + "/keys", "Create a key (all permissions unless listed); the secret is shown once",
        optional(obj("label", "string", "permissions", arrayOf(type("string")), "expires_at", "string", "expires_in_days", "integer")),
        withSecret(ref("ApiKey"), "api_key")));
    admin(query(op(paths, "post", "/dashboard/keys/{key_id}/revoke", "Revoke a key at once", optional(obj("reason", "string")), ref("ApiKey")),
        "reason"));
    admin(op(paths, "post", "/dashboard/keys/{key_id}/rotate", "A successor key; the old one lives grace_seconds more",
        optional(obj("grace_seconds", "integer", "reason", "string")),
        F.objectNode().set("allOf", F.arrayNode().add(ref("ApiKey"))
            .add(obj("api_key", "string", "previous_key_id", "string", "previous_key_expires_at", "string")))));
    admin(query(op(paths, "get", "/dashboard/audit", "Audit log, newest first (before = an entry id, for the next page)", null,
        obj("entries", arrayOf(obj("id", "integer", "at", "string", "actor", "string", "instance_id", "string", "action", "string",
            "target", "string", "detail", "object")))), "instance_id", "before", "limit"));
    admin(query(op(paths, "get", inst + "/analytics/metrics", "Usage series of any instance", null, ref("MetricSeries")),
        "metric", "bucket", "start", "end", "group_by"));

    String cfg = inst + "/memory-config";
    ObjectNode configBody = obj("config", "object", "config_text", "string", "reason", "string");
    admin(op(paths, "get", cfg, "The active memory configuration (version 0, unconfigured, when none)", null, ref("ConfigVersion")));
    admin(op(paths, "get", cfg + "/versions", "Every configuration version", null, obj("versions", arrayOf(ref("ConfigVersion")))));
    admin(op(paths, "get", cfg + "/versions/{version}", "One configuration version", null, ref("ConfigVersion")));
    admin(op(paths, "post", cfg + "/drafts", "A draft from config (object), config_text (JSON or YAML) or brief (Markdown)",
        obj("config", "object", "config_text", "string", "brief", "string", "reason", "string"), ref("ConfigVersion")));
    admin(op(paths, "put", cfg + "/versions/{version}", "Edit a draft", configBody, ref("ConfigVersion")));
    admin(op(paths, "post", cfg + "/versions/{version}/validate", "Review flags and the changes against the active version", null,
        obj("version", "integer", "valid", "boolean", "review_flags", "array", "changes", "object")));
    admin(query(op(paths, "post", cfg + "/versions/{version}/dry-run", "Extract recent messages with the active and the draft configuration",
        null, obj("version", "integer", "messages", "integer", "active_memories", "integer", "draft_memories", "integer", "rows", "array")),
        "messages"));
    admin(op(paths, "post", cfg + "/versions/{version}/apply", "Activate a version (mode immediate or new_messages)",
        optional(obj("mode", "string", "reason", "string")), ref("ConfigVersion")));
    admin(op(paths, "post", cfg + "/rollback", "Activate an earlier version again", obj("version", "integer", "reason", "string"),
        ref("ConfigVersion")));
    admin(op(paths, "post", inst + "/retention/run", "Run the retention job for the instance now", null,
        obj("instance_id", "string", "deleted", "integer")));

    admin(op(paths, "post", inst + "/webhooks", "Register a webhook; the signing secret is shown once",
        obj("url", "string", "event_types", arrayOf(type("string")), "description", "string"), withSecret(ref("Webhook"), "secret")));
    admin(op(paths, "get", inst + "/webhooks", "The instance's webhooks", null, obj("webhooks", arrayOf(ref("Webhook")))));
    admin(op(paths, "delete", "/dashboard/webhooks/{webhook_id}", "Delete a webhook", null, obj("webhook_id", "string", "deleted", "boolean")));
    admin(op(paths, "post", "/dashboard/webhooks/{webhook_id}/test", "Send a test event", null, ref("Delivery")));
    admin(query(op(paths, "get", "/dashboard/webhooks/{webhook_id}/deliveries", "Delivery log, newest first (limit 1..500)", null,
        obj("deliveries", arrayOf(ref("Delivery")))), "limit"));
  }

  private static void schemas(ObjectNode s) {
    s.set("ErrorEnvelope", obj("detail", F.objectNode().set("oneOf", F.arrayNode().add(type("string")).add(obj("code", "string", "message", "string"))),
        "code", "string", "correlation_id", "string").set("required", F.arrayNode().add("detail")));
    s.set("RecordMessage", obj("conversation_id", "string", "content", "string", "role", "string", "user_id", "string", "customer_id", "string",
        "session_id", "string", "timestamp", "string", "idempotency_key", "string", "metadata", "object")
        .set("required", F.arrayNode().add("conversation_id").add("content")));
    s.set("Recorded", obj("message_id", "string", "conversation_id", "string", "session_id", "string", "recorded_at", "string", "status", "string"));
    s.set("FetchRequest", obj("conversation_id", "string", "user_id", "string", "customer_id", "string", "search_query", "array",
        "types", "array", "max_results", "integer", "mode", "string", "token_budget", "integer", "include_conversation_context", "boolean"));
    s.set("ContextResponse", obj("facts", "array", "preferences", "array", "episodes", "array", "emotions", "array", "temporal_events", "array",
        "formatted_context", "string", "metadata", "object", "conversation_context", "object"));
    s.set("Document", obj("document", F.objectNode().set("oneOf", F.arrayNode().add(type("string")).add(type("object"))), "document_type", "string",
        "document_id", "string", "user_id", "string", "customer_id", "string", "document_created_at", "string", "mode", "string", "metadata", "object")
        .set("required", F.arrayNode().add("document")));
    s.set("Memory", obj("memory_id", "string", "memory_type", "string", "content", "string", "confidence", "number", "category", "string",
        "status", "string", "scope", "string", "user_id", "string", "customer_id", "string", "conversation_id", "string",
        "event_date", "string", "valid_until", "string", "source_message_ids", "array", "attributes", "object",
        "created_at", "string", "updated_at", "string"));
    s.set("Instance", obj("instance_id", "string", "client_id", "string", "name", "string", "description", "string", "metadata", "object",
        "user_context_isolation", "string", "status", "string", "created_at", "string", "updated_at", "string", "archived_at", "string"));
    s.set("InstanceUsage", F.objectNode().set("allOf", F.arrayNode().add(ref("Instance"))
        .add(obj("memory_count", "integer", "api_calls_24h", "integer", "last_active_at", "string"))));
    s.set("ApiKey", obj("key_id", "string", "instance_id", "string", "prefix", "string", "label", "string", "permissions", arrayOf(type("string")),
        "status", "string", "created_at", "string", "last_used_at", "string", "expires_at", "string", "revoked_at", "string"));
    s.set("MetricSeries", obj("instance_id", "string", "metric", "string", "bucket", "string", "start", "string", "end", "string",
        "group_by", "string", "points", arrayOf(obj("bucket_start", "string", "count", "integer",
            "latency_ms", obj("p50", "number", "p95", "number", "p99", "number"))), "total", "integer"));
    s.set("ConfigVersion", obj("instance_id", "string", "version", "integer", "status", "string", "source", "string", "config", "object",
        "review_flags", "array", "created_at", "string", "created_by", "string", "reason", "string", "activated_at", "string",
        "apply_mode", "string"));
    s.set("Webhook", obj("webhook_id", "string", "instance_id", "string", "url", "string", "event_types", arrayOf(type("string")),
        "description", "string", "created_at", "string"));
    s.set("Delivery", obj("delivery_id", "string", "webhook_id", "string", "event_type", "string", "status", "string", "attempts", "integer",
        "last_status_code", "integer", "last_error", "string", "next_attempt_at", "string", "created_at", "string", "delivered_at", "string",
        "test", "boolean"));
  }

  /** Admin routes take the admin key, not an instance key. */
  private static ObjectNode admin(ObjectNode op) {
    op.putArray("security").addObject().putArray("admin");
    return op;
  }

  /** Admin bodies are all optional fields: an empty body is an empty object. */
  private static ObjectNode optional(ObjectNode body) {
    body.put(OPTIONAL, true);
    return body;
  }

  /** A schema plus the one-time secret field the create and rotate answers carry. */
  private static ObjectNode withSecret(ObjectNode schema, String field) {
    return F.objectNode().set("allOf", F.arrayNode().add(schema).add(obj(field, "string")));
  }

  /** Adds an operation with path parameters from the template, the bearer key and the error responses. */
  private static ObjectNode op(ObjectNode paths, String method, String path, String summary, ObjectNode body, ObjectNode response) {
    ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
    ObjectNode op = item.putObject(method);
    op.put("operationId", method + path.replaceAll("[^A-Za-z0-9]+", "_"));
    op.put("summary", summary);
    ArrayNode params = op.putArray("parameters");
    var m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
    while (m.find()) {
      params.addObject().put("name", m.group(1)).put("in", "path").put("required", true).putObject("schema").put("type", "string");
    }
    if (body != null) {
      boolean required = body.remove(OPTIONAL) == null;
      op.putObject("requestBody").put("required", required).putObject("content").putObject("application/json").set("schema", body);
    }
    ObjectNode responses = op.putObject("responses");
    ObjectNode ok = responses.putObject("200").put("description", "success");
    if (response != null) ok.putObject("content").putObject("application/json").set("schema", response);
    for (String[] e : List.of(new String[] {"400", "bad input"}, new String[] {"401", "missing, unknown or revoked key"},
        new String[] {"403", "forbidden: the key lacks the route's permission, or the instance is archived"},
        new String[] {"404", "not found"}, new String[] {"409", "conflict (detail.code names it)"},
        new String[] {"413", "payload_too_large"}, new String[] {"429", "rate limited or queue full; Retry-After"},
        new String[] {"503", "storage unavailable or not ready; Retry-After"}, new String[] {"500", "internal error"})) {
      responses.putObject(e[0]).put("description", e[1]).putObject("content").putObject("application/json").putObject("schema").put("$ref", ENVELOPE);
    }
    return op;
  }

  private static ObjectNode open(ObjectNode op) {
    op.putArray("security");
    return op;
  }

  private static ObjectNode text(ObjectNode op) {
    ((ObjectNode) op.get("responses").get("200")).putObject("content").putObject("text/plain").putObject("schema").put("type", "string");
    return op;
  }

  /** Parameters live under "parameters", after the path ones; repeated calls append. */
  private static ObjectNode query(ObjectNode op, String... names) {
    ArrayNode params = (ArrayNode) op.get("parameters");
    for (String n : names) params.addObject().put("name", n).put("in", "query").put("required", false).putObject("schema").put("type", "string");
    return op;
  }

  private static ObjectNode header(String name, String description) {
    ObjectNode h = F.objectNode().put("name", name).put("in", "header").put("required", false).put("description", description);
    h.putObject("schema").put("type", "string");
    return h;
  }

  private static ObjectNode ref(String schema) {
    return F.objectNode().put("$ref", "#/components/schemas/" + schema);
  }

  private static ObjectNode type(String t) {
    return F.objectNode().put("type", t);
  }

  private static ObjectNode arrayOf(ObjectNode items) {
    ObjectNode a = type("array");
    a.set("items", items);
    return a;
  }

  /** An object schema from name/type pairs; a type is a JSON type name or a schema node. */
  private static ObjectNode obj(Object... pairs) {
    ObjectNode o = type("object");
    ObjectNode props = o.putObject("properties");
    for (int i = 0; i < pairs.length; i += 2) {
      props.set((String) pairs[i], pairs[i + 1] instanceof ObjectNode n ? n : type((String) pairs[i + 1]));
    }
    return o;
  }
}
