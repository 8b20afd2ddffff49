package dev.synap.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.control.ConfigDryRun;
import dev.synap.core.control.InstanceInfo;
import dev.synap.core.control.MemoryConfig;
import dev.synap.core.control.MemoryConfigs;
import dev.synap.core.extract.ExtractedMemory;
import dev.synap.server.context.Iso;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-instance memory configuration on the admin API: versions, the review workflow (draft from
 * JSON / YAML or from a brief, edit, validate, dry-run, apply, rollback) and the retention job.
 */
final class ConfigRoutes {
  private static final String BASE = "/dashboard/instances/{instance_id}/memory-config";
  private final MemoryEngine engine;
  private final MemoryConfigs configs;
  private final ConfigDryRun dryRun;

  ConfigRoutes(MemoryEngine engine) {
    this.engine = engine;
    this.configs = engine.memoryConfigs();
    this.dryRun = new ConfigDryRun(engine.store().messages(), engine.extractor());
  }

  void register(RoutesConfig app) {
    app.get(BASE, this::active);
    app.get(BASE + "/versions", ctx -> ctx.json(Map.of("versions", configs.versions(instance(ctx).instanceId()).stream().map(ConfigRoutes::json).toList())));
    app.get(BASE + "/versions/{version}", ctx -> ctx.json(json(configs.version(instance(ctx).instanceId(), version(ctx)))));
    app.post(BASE + "/drafts", this::init);
    app.put(BASE + "/versions/{version}", ctx -> ctx.json(json(configs.edit(AdminRoutes.actor(ctx), instance(ctx).instanceId(), version(ctx),
        configText(AdminRoutes.body(ctx)), Bodies.string(AdminRoutes.body(ctx), "reason")))));
    app.post(BASE + "/versions/{version}/validate", this::validate);
    app.post(BASE + "/versions/{version}/dry-run", this::dryRun);
    app.post(BASE + "/versions/{version}/apply", ctx -> {
      JsonNode b = AdminRoutes.body(ctx);
      String mode = Bodies.string(b, "mode");
      ctx.json(json(configs.apply(AdminRoutes.actor(ctx), instance(ctx).instanceId(), version(ctx), mode == null ? "immediate" : mode,
          Bodies.string(b, "reason"))));
    });
    app.post(BASE + "/rollback", ctx -> {
      JsonNode b = AdminRoutes.body(ctx);
      Integer to = Bodies.integer(b, "version");
      if (to == null) throw new InvalidInputException("version is required");
      ctx.json(json(configs.rollback(AdminRoutes.actor(ctx), instance(ctx).instanceId(), to, Bodies.string(b, "reason"))));
    });
    app.post("/dashboard/instances/{instance_id}/retention/run", ctx -> {
      String id = instance(ctx).instanceId();
      int deleted = engine.retention().runOnce(id, Instant.now());
      engine.control().audit(AdminRoutes.actor(ctx), id, "retention.run", id, Map.of("deleted", deleted));
      ctx.json(Map.of("instance_id", id, "deleted", deleted));
    });
  }

  private void active(Context ctx) {
    String id = instance(ctx).instanceId();
    var all = configs.versions(id);
    var active = all.stream().filter(v -> v.stored().status().equals(MemoryConfigs.ACTIVE)).findFirst();
    if (active.isPresent()) {
      ctx.json(json(active.get()));
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instance_id", id);
    out.put("version", 0);
    out.put("status", "unconfigured");
    out.put("config", MemoryConfig.UNCONFIGURED.toJson());
    ctx.json(out);
  }

  /** A draft from {@code config} (object), {@code config_text} (JSON or YAML) or {@code brief} (Markdown). */
  private void init(Context ctx) {
    JsonNode b = AdminRoutes.body(ctx);
    InstanceInfo instance = instance(ctx);
    String reason = Bodies.string(b, "reason");
    String brief = Bodies.string(b, "brief");
    if (brief != null) {
      MemoryConfigs.BriefDraft d = configs.draftFromBrief(AdminRoutes.actor(ctx), instance.instanceId(), instance.mode(), brief, reason,
          engine.briefRefiner());
      Map<String, Object> out = json(d.version());
      out.put("suggested_user_context_isolation", d.suggestedIsolation().wireName());
      ctx.json(out);
      return;
    }
    ctx.json(json(configs.init(AdminRoutes.actor(ctx), instance.instanceId(), configText(b), "api", reason)));
  }

  private void validate(Context ctx) {
    MemoryConfigs.Validation v = configs.validate(instance(ctx).instanceId(), version(ctx));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", v.version().stored().version());
    out.put("valid", v.valid());
    out.put("review_flags", v.flags());
    Map<String, Object> diff = new LinkedHashMap<>();
    v.changes().forEach((k, pair) -> diff.put(k, Map.of("active", pair.get(0), "draft", pair.get(1))));
    out.put("changes", diff);
    ctx.json(out);
  }

  private void dryRun(Context ctx) {
    String id = instance(ctx).instanceId();
    MemoryConfigs.Version v = configs.version(id, version(ctx));
    int n = AdminRoutes.intParam(ctx, "messages", 20);
    if (n < 1 || n > ConfigDryRun.MAX_MESSAGES) throw new InvalidInputException("messages must be 1.." + ConfigDryRun.MAX_MESSAGES);
    List<Map<String, Object>> rows = new ArrayList<>();
    int activeCount = 0;
    int draftCount = 0;
    for (ConfigDryRun.Row r : dryRun.run(id, configs.active(id), v.config(), n)) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("message_id", r.messageId());
      row.put("active_text", r.activeText());
      row.put("draft_text", r.draftText());
      row.put("active", r.active().stream().map(ConfigRoutes::extracted).toList());
      row.put("draft", r.draft().stream().map(ConfigRoutes::extracted).toList());
      activeCount += r.active().size();
      draftCount += r.draft().size();
      rows.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", v.stored().version());
    out.put("messages", rows.size());
    out.put("active_memories", activeCount);
    out.put("draft_memories", draftCount);
    out.put("rows", rows);
    ctx.json(out);
  }

  private static Map<String, Object> extracted(ExtractedMemory e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", e.type().wireKey());
    m.put("content", e.content());
    m.put("confidence", e.confidence());
    return m;
  }

  private InstanceInfo instance(Context ctx) {
    return engine.control().instance(ctx.pathParam("instance_id"));
  }

  private static int version(Context ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("version"));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("version must be an integer");
    }
  }

  private static String configText(JsonNode b) {
    JsonNode c = b.get("config");
    if (c != null && c.isObject()) return c.toString();
    String text = Bodies.string(b, "config_text");
    if (text == null) throw new InvalidInputException("config (object) or config_text (JSON or YAML) is required");
    return text;
  }

  static Map<String, Object> json(MemoryConfigs.Version v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instance_id", v.stored().instanceId());
    m.put("version", v.stored().version());
    m.put("status", v.stored().status());
    m.put("source", v.stored().source());
    m.put("config", v.config().toJson());
    m.put("review_flags", v.flags());
    m.put("created_at", Iso.of(v.stored().createdAt()));
    m.put("created_by", v.stored().createdBy());
    m.put("reason", v.stored().reason());
    m.put("activated_at", Iso.of(v.stored().activatedAt()));
    m.put("apply_mode", v.stored().applyMode());
    return m;
  }
}
