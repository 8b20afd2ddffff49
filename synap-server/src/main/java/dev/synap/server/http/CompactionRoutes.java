package dev.synap.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.NotFoundException;
import dev.synap.core.compact.CompactedFormat;
import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionRequest;
import dev.synap.core.compact.CompactionResult;
import dev.synap.core.compact.Compactor;
import dev.synap.core.compact.ContextRenderer;
import dev.synap.core.compact.ConversationContext;
import dev.synap.core.compact.PromptContext;
import dev.synap.core.compact.PromptStyle;
import dev.synap.core.compact.Strategy;
import dev.synap.core.tenant.ScopeRules;
import dev.synap.server.context.Iso;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Compaction endpoints (contract 9.7-9.10). Conversation ids must be UUIDs (400). A conversation
 * is only visible to its own instance: with no messages and no compaction there it is 404,
 * whether it exists elsewhere or not.
 */
final class CompactionRoutes {
  /** Clients may cache a compacted context this long; a new version is pushed over Listen anyway. */
  static final int TTL_SECONDS = 300;
  private final Compactor compactor;

  CompactionRoutes(MemoryEngine engine) {
    this.compactor = engine.compactions();
  }

  void register(RoutesConfig app) {
    app.post("/v1/conversations/compact", this::compact);
    app.get("/v1/conversations/{conversation_id}/compacted", this::compacted);
    app.get("/v1/conversations/{conversation_id}/compaction/status", this::status);
    app.get("/v1/conversations/{conversation_id}/context-for-prompt", this::contextForPrompt);
  }

  private void compact(Context ctx) {
    JsonNode b = Bodies.object(ctx);
    String conversationId = Bodies.string(b, "conversation_id");
    if (conversationId == null || conversationId.isBlank()) throw new InvalidInputException("conversation_id is required");
    ScopeRules.requireUuid("conversation_id", conversationId);
    // compaction_level: the key older clients send (CompactionLevel values, low/medium/high included).
    String strategy = b.hasNonNull("strategy") ? Bodies.string(b, "strategy") : Bodies.string(b, "compaction_level");
    CompactionRequest request = new CompactionRequest(instanceId(ctx), conversationId, Strategy.parse(strategy),
        Bodies.integer(b, "target_tokens"), Bodies.bool(b, "force", false), CompactionRequest.MANUAL);
    Compactor.Started started = compactor.compact(request);
    Compaction job = started.job();
    Optional<Compaction> previous = started.previous();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("compaction_id", job.compactionId());
    o.put("conversation_id", conversationId);
    o.put("status", started.reused() ? Compaction.COMPLETED : Compaction.IN_PROGRESS);
    o.put("trigger_type", job.trigger());
    o.put("initiated_at", Iso.of(job.initiatedAt()));
    o.put("estimated_completion_seconds", started.reused() ? 0 : 5);
    o.put("previous_context", previous.map(CompactionRoutes::previousContext).orElse(Map.of()));
    o.put("previous_context_age_seconds", previous.map(p -> ageSeconds(p.completedAt())).orElse(null));
    o.put("previous_compaction_id", previous.map(Compaction::compactionId).orElse(null));
    ctx.json(o);
  }

  private static Map<String, Object> previousContext(Compaction p) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("summary", p.result().summary());
    o.put("current_state", p.result().currentState());
    o.put("key_extractions", p.result().keyExtractions().toMap());
    o.put("version", p.version());
    o.put("compacted_at", Iso.of(p.completedAt()));
    return o;
  }

  private void compacted(Context ctx) {
    String conversationId = conversationId(ctx);
    CompactedFormat format = CompactedFormat.parse(ctx.queryParam("format"));
    String version = ctx.queryParam("version");
    Optional<Compaction> found = version == null || version.isBlank()
        ? compactor.latestCompleted(instanceId(ctx), conversationId)
        : compactor.version(instanceId(ctx), conversationId, parseVersion(version));
    Compaction c = found.orElseThrow(() -> new NotFoundException("no compaction" + (version == null ? "" : " version " + version)
        + " for conversation " + conversationId));
    CompactionResult r = c.result();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("formatted_context", ContextRenderer.compacted(c, format));
    o.put("original_token_count", r.originalTokens());
    o.put("compacted_token_count", r.compactedTokens());
    o.put("compression_ratio", round(r.compressionRatio()));
    o.put("strategy_used", r.strategyUsed().wireName());
    o.put("compaction_id", c.compactionId());
    o.put("validation_score", round(r.validationScore()));
    o.put("validation_passed", !r.qualityWarning());
    o.put("facts", r.keyExtractions().facts());
    o.put("decisions", r.keyExtractions().decisions());
    o.put("preferences", r.keyExtractions().preferences());
    o.put("current_state", r.currentState());
    o.put("quality_warning", r.qualityWarning());
    o.put("ttl_seconds", TTL_SECONDS);
    ctx.json(o);
  }

  private void status(Context ctx) {
    String conversationId = conversationId(ctx);
    String instanceId = instanceId(ctx);
    Optional<Compaction> latest = compactor.latest(instanceId, conversationId);
    if (latest.isEmpty()) requireVisible(instanceId, conversationId);
    Optional<Compaction> completed = latest.filter(Compaction::isCompleted).or(() -> compactor.latestCompleted(instanceId, conversationId));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("conversation_id", conversationId);
    o.put("status", latest.map(Compaction::status).orElse("none"));
    o.put("compaction_id", latest.map(Compaction::compactionId).orElse(null));
    o.put("completed_at", latest.map(c -> Iso.of(c.completedAt())).orElse(null));
    o.put("compression_ratio", latest.filter(Compaction::isCompleted).map(c -> round(c.result().compressionRatio())).orElse(null));
    o.put("validation_score", latest.filter(Compaction::isCompleted).map(c -> round(c.result().validationScore())).orElse(null));
    o.put("estimated_completion_seconds", latest.filter(Compaction::isRunning).map(c -> 5).orElse(null));
    o.put("error_message", latest.map(Compaction::error).orElse(null));
    o.put("latest_version", completed.map(Compaction::version).orElse(null));
    o.put("latest_created_at", completed.map(c -> Iso.of(c.completedAt())).orElse(null));
    ctx.json(o);
  }

  private void contextForPrompt(Context ctx) {
    String conversationId = conversationId(ctx);
    PromptStyle style = PromptStyle.parse(ctx.queryParam("style"));
    ConversationContext cc = compactor.context(instanceId(ctx), conversationId);
    if (!cc.exists()) throw notFound(conversationId);
    PromptContext p = ContextRenderer.prompt(cc, style, Instant.now(), compactor.settings().staleTurns());
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("formatted_context", p.formattedContext());
    o.put("available", p.available());
    o.put("is_stale", p.stale());
    o.put("compression_ratio", p.compressionRatio() == null ? null : round(p.compressionRatio()));
    o.put("validation_score", p.validationScore() == null ? null : round(p.validationScore()));
    o.put("compaction_age_seconds", p.compactionAgeSeconds());
    o.put("quality_warning", p.qualityWarning());
    o.put("recent_messages", ConversationContextJson.messages(p.recentMessages()));
    o.put("recent_message_count", p.recentMessageCount());
    o.put("compacted_message_count", p.compactedMessageCount());
    o.put("total_message_count", p.totalMessageCount());
    ctx.json(o);
  }

  private void requireVisible(String instanceId, String conversationId) {
    if (!compactor.context(instanceId, conversationId).exists()) throw notFound(conversationId);
  }

  private static NotFoundException notFound(String conversationId) {
    return new NotFoundException("conversation " + conversationId + " not found");
  }

  private static String conversationId(Context ctx) {
    String id = ctx.pathParam("conversation_id");
    ScopeRules.requireUuid("conversation_id", id);
    return id;
  }

  private static String instanceId(Context ctx) {
    return RestApi.caller(ctx).instance().instanceId();
  }

  private static int parseVersion(String v) {
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 1) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("version must be a positive integer, got '" + v + "'");
    }
  }

  private static long ageSeconds(Instant t) {
    return t == null ? 0 : Math.max(0, Duration.between(t, Instant.now()).toSeconds());
  }

  private static double round(double v) {
    return Math.round(v * 10_000.0) / 10_000.0;
  }
}
