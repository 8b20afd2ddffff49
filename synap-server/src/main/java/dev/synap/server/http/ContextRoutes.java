package dev.synap.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.ConflictException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.analytics.Metric;
import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionRequest;
import dev.synap.core.model.Scope;
import dev.synap.core.store.MessageStore;
import dev.synap.core.tenant.Instance;
import dev.synap.server.context.ContextFetcher;
import dev.synap.server.context.Iso;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/context/{scope}/fetch} (contract 9.6). A user fetch reads the user's scope chain
 * (own, customer-shared and client-wide memories, see {@code ScopeChain}); items carry their
 * {@code scope}, and {@code metadata.scopes_queried} names the levels read. In summary mode
 * ({@code context_mode = conversation-summary}) a user fetch also answers {@code profile} (when
 * {@code include_profile}) and {@code conversations}: the user's {@code last_n_conversations} most
 * recent conversations with their compaction summary. A conversation that has none yet gets one
 * started, and says {@code summary_status: pending} until it is done.
 */
final class ContextRoutes {
  private final MemoryEngine engine;
  private final ContextFetcher fetcher;

  ContextRoutes(MemoryEngine engine) {
    this.engine = engine;
    this.fetcher = new ContextFetcher(engine.retriever(), engine.readPriority())
        .defaults(id -> engine.memoryConfigs().active(id).retrieval());
  }

  void register(RoutesConfig app) {
    app.post("/v1/context/{scope}/fetch", this::fetch);
  }

  private void fetch(Context ctx) {
    long started = System.nanoTime();
    Scope scope = Scope.parse(ctx.pathParam("scope"))
        .orElseThrow(() -> new ApiError(404, "not_found", "unknown scope '" + ctx.pathParam("scope") + "'"));
    Instance instance = RestApi.caller(ctx).instance();
    JsonNode b = Bodies.object(ctx);
    FetchOptions options = FetchOptions.read(b);
    ContextFetcher.Fetched fetched = fetcher.fetch(instance, new ContextFetcher.Request(scope, Bodies.string(b, "conversation_id"),
        Bodies.string(b, "user_id"), Bodies.string(b, "customer_id"), Bodies.strings(b, "search_query"), Bodies.strings(b, "types"),
        Bodies.integer(b, "max_results"), Bodies.string(b, "mode"), Bodies.integer(b, "token_budget"), options.precision()));
    Map<String, Object> response = ContextJson.response(fetched.result(), scope.wireName(), scope == Scope.CLIENT ? 1800 : 300, Correlation.of(ctx));
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) response.get("metadata");
    metadata.put("scopes_queried", fetched.scopesQueried());
    metadata.put("precision_level", options.precision());
    if (scope == Scope.CONVERSATION && options.includeConversationContext()) {
      response.put("conversation_context", ConversationContextJson.of(engine.compactions().context(instance.instanceId(), Bodies.string(b, "conversation_id"))));
    }
    if (scope == Scope.USER && options.summaryMode()) {
      String user = Bodies.string(b, "user_id").strip();
      String customer = blankToNull(Bodies.string(b, "customer_id"));
      metadata.put("context_mode", "conversation-summary");
      if (options.includeProfile()) {
        engine.profiles().build(instance.instanceId(), customer, user).ifPresent(p -> response.put("profile", MemoryRoutes.profileJson(p)));
      }
      response.put("conversations", conversations(instance.instanceId(), customer, user, options.lastConversations()));
    }
    // Analytics: the fetch with its latency, by user / customer; whether it ran the dense search.
    String user = Bodies.string(b, "user_id");
    String customer = Bodies.string(b, "customer_id");
    engine.usage().record(instance.instanceId(), Metric.CONTEXT_FETCH, user, customer, 1, (System.nanoTime() - started) / 1e6);
    if (fetched.result().sourcesQueried().contains("vector")) engine.usage().record(instance.instanceId(), Metric.VECTOR_QUERIES, user, customer, 1, null);
    ctx.json(response);
  }

  private List<Map<String, Object>> conversations(String instanceId, String customerId, String userId, int last) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (last == 0) return out;
    MessageStore messages = engine.store().messages();
    for (MessageStore.ConversationActivity a : messages.recentConversations(instanceId, customerId, userId, last)) {
      Optional<MessageStore.ConversationDetails> details = messages.conversationDetails(instanceId, a.conversationId());
      Optional<Compaction> latest = engine.compactions().latest(instanceId, a.conversationId());
      Optional<Compaction> done = engine.compactions().latestCompleted(instanceId, a.conversationId());
      String status = done.isPresent() ? "available" : latest.map(Compaction::isRunning).orElse(false) ? "pending"
          : latest.isPresent() ? "failed" : summarise(instanceId, a.conversationId());
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("conversation_id", a.conversationId());
      o.put("external_conversation_id", details.map(MessageStore.ConversationDetails::externalId).orElse(a.conversationId()));
      o.put("conversation_type", details.map(MessageStore.ConversationDetails::conversationType).orElse(null));
      o.put("started_at", Iso.of(details.map(MessageStore.ConversationDetails::startedAt).orElse(a.firstMessageAt())));
      o.put("ended_at", details.map(MessageStore.ConversationDetails::endedAt).map(Iso::of).orElse(null));
      o.put("last_message_at", Iso.of(a.lastMessageAt()));
      o.put("message_count", a.messageCount());
      o.put("summary_status", status);
      o.put("summary", done.map(ContextRoutes::summary).orElse(Map.of()));
      o.put("classification", details.map(MessageStore.ConversationDetails::conversationType).map(t -> Map.<String, Object>of("conversation_type", t))
          .orElse(Map.of()));
      o.put("analysis", details.map(MessageStore.ConversationDetails::analysisJson).map(ContextRoutes::object).orElse(Map.of()));
      o.put("compaction_version", done.map(Compaction::version).orElse(null));
      o.put("compacted_at", done.map(c -> Iso.of(c.completedAt())).orElse(null));
      out.add(o);
    }
    return out;
  }

  /** Starts a summary of a conversation that has none; it is {@code pending} until it completes. */
  private String summarise(String instanceId, String conversationId) {
    try {
      engine.compactions().compact(CompactionRequest.summary(instanceId, conversationId));
      return "pending";
    } catch (ConflictException e) {
      return "pending"; // started meanwhile by someone else
    } catch (RuntimeException e) {
      return "failed";
    }
  }

  private static Map<String, Object> summary(Compaction c) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("text", c.result().summary());
    o.put("current_state", c.result().currentState());
    o.put("key_extractions", c.result().keyExtractions().toMap());
    o.put("strategy_used", c.result().strategyUsed().wireName());
    o.put("messages_compacted", c.result().messagesCompacted());
    return o;
  }

  private static Object object(String json) {
    try {
      JsonNode n = Bodies.MAPPER.readTree(json);
      return n != null && n.isObject() ? n : Map.of();
    } catch (Exception e) {
      return Map.of();
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
