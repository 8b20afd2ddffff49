package dev.synap.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.integration.Recall;
import dev.synap.integration.SynapMemory;
import dev.synap.sdk.CompactionStarted;
import dev.synap.sdk.ContextItem;
import dev.synap.sdk.DeletedMemory;
import dev.synap.sdk.Identity;
import dev.synap.sdk.Memory;
import dev.synap.sdk.MemoriesClient;
import dev.synap.sdk.RecordedMessage;
import dev.synap.sdk.SynapException;
import dev.synap.sdk.UserProfile;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The MCP tools, each defined once over {@link SynapMemory} and served on both transports. Names
 * follow Synap's hosted MCP server ({@code log_exchange}, {@code recall_context},
 * {@code list_recent_memories}, {@code check_memory_status}) plus {@code search_memories},
 * {@code forget}, {@code get_profile} and {@code compact_conversation}.
 *
 * <p>Every tool answers JSON text. Reads fail soft (an empty answer saying memory is unavailable,
 * not a tool error) and give up after 10 s; writes answer a tool error ({@code isError}) naming the
 * SDK exception, and give up after 8 s. A bad argument is a tool error naming the argument, so the
 * model can correct itself; the protocol session is never broken by input.
 */
public final class MemoryTools {
  public static final Duration RECALL_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration INGEST_TIMEOUT = Duration.ofSeconds(8);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ExecutorService CALLS = Executors.newVirtualThreadPerTaskExecutor();

  private final MemoryResolver resolver;

  public MemoryTools(MemoryResolver resolver) {
    this.resolver = resolver;
  }

  public List<SyncToolSpecification> specifications() {
    return List.of(
        tool("log_exchange", "Log an exchange to memory: records what the user said (and the assistant's reply, if given) in a "
            + "conversation, so that facts, preferences and events in it are remembered across conversations. Call it after each "
            + "meaningful exchange.", schema(Map.of(
                "conversation_id", str("Any stable id of this conversation (a UUID, or any text: mapped to a stable UUID)"),
                "user_message", str("What the user said, verbatim"),
                "assistant_message", str("The assistant's reply, verbatim (optional)")), "conversation_id", "user_message"),
            INGEST_TIMEOUT, true, this::logExchange),
        tool("recall_context", "Recall what memory knows that is relevant to the current message: facts, preferences, episodes and "
            + "dates about the user, ranked, within a token budget. Call it before answering a message that may depend on the past.",
            schema(Map.of("query", str("The user's message or what to look for"),
                "max_results", integer("How many items at most (1-50, default 10)"),
                "token_budget", integer("Token budget of the answer (50-8000, default 1000)")), "query"),
            RECALL_TIMEOUT, false, this::recallContext),
        tool("search_memories", "Search the user's memories for a topic and list the matching items with their type, confidence "
            + "and dates. Use it to look something specific up; use recall_context to prepare an answer.",
            schema(Map.of("query", str("What to search for"), "max_results", integer("How many items at most (1-100, default 20)")), "query"),
            RECALL_TIMEOUT, false, this::searchMemories),
        tool("list_recent_memories", "List the newest memories stored for the user, newest first, with their ids (for forget).",
            schema(Map.of("limit", integer("How many (1-100, default 20)"))), RECALL_TIMEOUT, false, this::listRecent),
        tool("check_memory_status", "Check that memory is reachable and which instance it is; with an ingestion_id, whether that "
            + "ingestion finished and how many memories it created.",
            schema(Map.of("ingestion_id", str("An ingestion id returned earlier (optional)"))), RECALL_TIMEOUT, false, this::status),
        tool("forget", "Delete one memory by its id (from list_recent_memories or search_memories). It cannot be undone.",
            schema(Map.of("memory_id", str("The id of the memory to delete")), "memory_id"), INGEST_TIMEOUT, true, this::forget),
        tool("get_profile", "The user's profile: stable attributes (name, location, job, preferences...) with confidence.",
            schema(Map.of()), RECALL_TIMEOUT, false, this::profile),
        tool("compact_conversation", "Compact a long conversation into a summary that keeps its facts (runs in the background; "
            + "the conversation's context then starts with the summary).",
            schema(Map.of("conversation_id", str("The conversation to compact (same id as in log_exchange)"),
                "strategy", enumeration("How hard to compress (default adaptive)",
                    List.of("conservative", "balanced", "aggressive", "adaptive"))), "conversation_id"),
            INGEST_TIMEOUT, true, this::compact));
  }

  // ---- tools ----

  private Object logExchange(SynapMemory m, Args a) {
    String conversation = m.conversation(a.required("conversation_id"));
    String user = a.required("user_message");
    String assistant = a.optional("assistant_message");
    List<String> ids = new ArrayList<>();
    RecordedMessage u = m.record(conversation, "user", user);
    ids.add(u.messageId());
    if (assistant != null) ids.add(m.record(conversation, "assistant", assistant).messageId());
    return ordered("status", "recorded", "conversation_id", conversation, "message_ids", ids);
  }

  private Object recallContext(SynapMemory m, Args a) {
    Recall r = m.recall(a.required("query"), a.integer("max_results", 10, 1, 50), a.integer("token_budget", 1000, 50, 8000));
    return ordered("context", r.formattedContext(), "items", r.items().size(), "source", r.source(), "scope", r.scope());
  }

  private Object searchMemories(SynapMemory m, Args a) {
    String query = a.required("query");
    int max = a.integer("max_results", 20, 1, 100);
    Recall r = m.recall(query, max, null);
    List<Map<String, Object>> items = new ArrayList<>();
    for (ContextItem i : r.items()) {
      items.add(ordered("memory_id", i.id(), "type", i.type(), "content", i.content(), "confidence", i.confidence(),
          "event_date", i.eventDate(), "source", i.source()));
    }
    return ordered("memories", items, "source", r.source());
  }

  private Object listRecent(SynapMemory m, Args a) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Memory x : m.recentMemories(a.integer("limit", 20, 1, 100))) {
      items.add(ordered("memory_id", x.memoryId(), "type", x.memoryType(), "content", x.content(), "confidence", x.confidence(),
          "created_at", String.valueOf(x.createdAt()), "conversation_id", x.conversationId()));
    }
    return ordered("memories", items);
  }

  private Object status(SynapMemory m, Args a) {
    String ingestion = a.optional("ingestion_id");
    Identity id = m.identity().orElse(null);
    Map<String, Object> out = ordered("reachable", id != null, "instance_id", id == null ? null : id.instanceId(),
        "relationship_mode", id == null ? null : id.relationshipMode(), "listening", m.listening());
    if (ingestion != null) {
      MemoriesClient.IngestionStatus s = m.reads().read("ingestion_status", () -> m.synap().memories().status(ingestion), null);
      out.put("ingestion", s == null ? null : ordered("status", s.status(), "memories_created", s.memoriesCreated(),
          "error_message", s.errorMessage()));
    }
    return out;
  }

  private Object forget(SynapMemory m, Args a) {
    DeletedMemory d = m.forget(a.required("memory_id"));
    return ordered("status", "deleted", "memory_id", d.memoryId(), "deleted_at", String.valueOf(d.deletedAt()));
  }

  private Object profile(SynapMemory m, Args a) {
    UserProfile p = m.profile().orElse(null);
    if (p == null) return ordered("available", false);
    Map<String, Object> attributes = new LinkedHashMap<>();
    p.attributes().forEach((k, v) -> attributes.put(k, ordered("value", v.value(), "confidence", v.confidence())));
    return ordered("available", true, "overview", p.overview(), "attributes", attributes);
  }

  private Object compact(SynapMemory m, Args a) {
    String strategy = a.oneOf("strategy", null, List.of("conservative", "balanced", "aggressive", "adaptive"));
    CompactionStarted c = m.compact(m.conversation(a.required("conversation_id")), strategy);
    return ordered("compaction_id", c.compactionId(), "status", c.status(), "conversation_id", c.conversationId());
  }

  // ---- plumbing ----

  private interface Body {
    Object run(SynapMemory memory, Args args);
  }

  private SyncToolSpecification tool(String name, String description, Map<String, Object> schema, Duration timeout, boolean write, Body body) {
    McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description).inputSchema(schema)
        .annotations(new McpSchema.ToolAnnotations(null, !write, "forget".equals(name), false, false, null)).build();
    return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> call(exchange, request, timeout, write, body)).build();
  }

  private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request, Duration timeout, boolean write, Body body) {
    Args args = new Args(request.arguments());
    Future<Object> f;
    try {
      SynapMemory memory = resolver.resolve(exchange.transportContext(), args.optional("user_id"), args.optional("customer_id"));
      f = CALLS.submit(() -> body.run(memory, args));
    } catch (Args.BadArgument | SynapException e) {
      return error(e);
    }
    try {
      return McpSchema.CallToolResult.builder().addTextContent(json(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS))).isError(false).build();
    } catch (TimeoutException e) {
      f.cancel(true);
      String what = write ? "the platform did not confirm within " + timeout.toSeconds() + " s (it may still store it)"
          : "memory did not answer within " + timeout.toSeconds() + " s";
      return write ? error("NetworkTimeoutException", what)
          : McpSchema.CallToolResult.builder().addTextContent(json(ordered("available", false, "reason", what))).isError(false).build();
    } catch (ExecutionException e) {
      return error(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error("Interrupted", "the call was interrupted");
    }
  }

  private static McpSchema.CallToolResult error(Throwable e) {
    if (e instanceof Args.BadArgument) return error("invalid_argument", e.getMessage());
    if (e instanceof SynapException) return error(e.getClass().getSimpleName(), e.getMessage());
    return error("internal_error", e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  private static McpSchema.CallToolResult error(String code, String message) {
    return McpSchema.CallToolResult.builder().addTextContent(json(ordered("error", code, "detail", message))).isError(true).build();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  /** An object schema; every tool also takes the owner ({@code user_id}, {@code customer_id}). */
  private static Map<String, Object> schema(Map<String, Object> properties, String... required) {
    Map<String, Object> p = new LinkedHashMap<>(properties);
    p.put("user_id", str("Whose memory (optional: the server's configured user when absent)"));
    p.put("customer_id", str("The user's customer, for B2B instances (optional)"));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "object");
    s.put("properties", p);
    s.put("required", List.of(required));
    s.put("additionalProperties", false);
    return s;
  }

  private static Map<String, Object> str(String description) {
    return Map.of("type", "string", "description", description);
  }

  private static Map<String, Object> integer(String description) {
    return Map.of("type", "integer", "description", description);
  }

  private static Map<String, Object> enumeration(String description, List<String> values) {
    return Map.of("type", "string", "description", description, "enum", values);
  }

}
