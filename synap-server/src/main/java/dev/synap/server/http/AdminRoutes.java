package dev.synap.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.InvalidInputException;
import dev.synap.core.control.AdminKeyInfo;
import dev.synap.core.control.AuditEntry;
import dev.synap.core.control.ControlPlane;
import dev.synap.core.control.InstanceInfo;
import dev.synap.core.control.InstanceUsage;
import dev.synap.core.control.Permission;
import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.Tenancy;
import dev.synap.server.context.Iso;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API ({@code /dashboard/...}, admin credential only): instances and their keys, and the
 * audit log. Shapes are in the README ("Control plane"); changes take an optional {@code reason}
 * that the audit log keeps beside the actor.
 */
final class AdminRoutes {
  static final String PREFIX = "/dashboard/";
  static final String ADMIN = "synap.admin";
  private final ControlPlane control;

  AdminRoutes(ControlPlane control) {
    this.control = control;
  }

  void register(RoutesConfig app) {
    app.post("/dashboard/instances", this::create);
    app.get("/dashboard/instances", this::list);
    app.get("/dashboard/instances/{instance_id}", ctx -> ctx.json(withUsage(control.instance(ctx.pathParam("instance_id")))));
    app.patch("/dashboard/instances/{instance_id}", this::update);
    app.post("/dashboard/instances/{instance_id}/archive", ctx ->
        ctx.json(instanceJson(control.archive(actor(ctx), ctx.pathParam("instance_id"), reason(ctx)))));
    app.delete("/dashboard/instances/{instance_id}", ctx -> {
      control.delete(actor(ctx), ctx.pathParam("instance_id"), reason(ctx));
      ctx.json(Map.of("instance_id", ctx.pathParam("instance_id"), "deleted", true));
    });
    app.get("/dashboard/instances/{instance_id}/keys", ctx ->
        ctx.json(Map.of("keys", control.keys(ctx.pathParam("instance_id")).stream().map(AdminRoutes::keyJson).toList())));
    app.post("/dashboard/instances/{instance_id}/keys", this::createKey);
    app.post("/dashboard/keys/{key_id}/revoke", ctx -> ctx.json(keyJson(control.revokeKey(actor(ctx), ctx.pathParam("key_id"), reason(ctx)))));
    app.post("/dashboard/keys/{key_id}/rotate", this::rotate);
    app.get("/dashboard/audit", this::audit);
  }

  /** What an instance key with {@code instances:read} sees of its own instance ({@code GET /v1/instance}). */
  Map<String, Object> ownInstance(String instanceId) {
    return withUsage(control.instance(instanceId));
  }

  private void create(Context ctx) {
    JsonNode b = body(ctx);
    String isolation = Bodies.string(b, "user_context_isolation");
    RelationshipMode mode = isolation == null ? RelationshipMode.B2C : RelationshipMode.parse(isolation)
        .orElseThrow(() -> new InvalidInputException("user_context_isolation must be b2c or b2b"));
    ctx.json(instanceJson(control.createInstance(actor(ctx), Bodies.string(b, "name"), Bodies.string(b, "description"), metadata(b), mode)));
  }

  private void list(Context ctx) {
    int page = intParam(ctx, "page", 1);
    int size = intParam(ctx, "page_size", 20);
    boolean archived = "true".equals(ctx.queryParam("include_archived"));
    ControlPlane.Page<InstanceInfo> p = control.instances(page, size, archived);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instances", p.items().stream().map(AdminRoutes::instanceJson).toList());
    out.put("total", p.total());
    out.put("page", p.page());
    out.put("page_size", p.pageSize());
    ctx.json(out);
  }

  private void update(Context ctx) {
    JsonNode b = body(ctx);
    if (b.has("user_context_isolation")) throw new InvalidInputException("user_context_isolation is fixed when the instance is created");
    ctx.json(instanceJson(control.update(actor(ctx), ctx.pathParam("instance_id"), Bodies.string(b, "name"), Bodies.string(b, "description"),
        metadata(b), Bodies.string(b, "reason"))));
  }

  private void createKey(Context ctx) {
    JsonNode b = body(ctx);
    List<String> names = Bodies.strings(b, "permissions");
    Set<Permission> permissions = b.has("permissions") ? Permission.parse(names) : Permission.all();
    Instant expires = null;
    String at = Bodies.string(b, "expires_at");
    Integer days = Bodies.integer(b, "expires_in_days");
    if (at != null) expires = MemoryRoutes.parseTime("expires_at", at);
    else if (days != null) {
      if (days < 1) throw new InvalidInputException("expires_in_days must be 1 or more");
      expires = Instant.now().plus(Duration.ofDays(days));
    }
    String label = Bodies.string(b, "label");
    Tenancy.NewKey key = control.createKey(actor(ctx), ctx.pathParam("instance_id"), label == null ? "dashboard" : label, permissions, expires);
    Map<String, Object> out = keyJson(key.info());
    out.put("api_key", key.secret());
    ctx.json(out);
  }

  private void rotate(Context ctx) {
    JsonNode b = body(ctx);
    Integer grace = Bodies.integer(b, "grace_seconds");
    ControlPlane.Rotation r = control.rotateKey(actor(ctx), ctx.pathParam("key_id"), grace == null ? null : Duration.ofSeconds(grace),
        Bodies.string(b, "reason"));
    Map<String, Object> out = keyJson(r.successor().info());
    out.put("api_key", r.successor().secret());
    out.put("previous_key_id", r.previous().keyId());
    out.put("previous_key_expires_at", Iso.of(r.previousExpiresAt()));
    ctx.json(out);
  }

  private void audit(Context ctx) {
    long before = ctx.queryParam("before") == null ? 0 : longParam(ctx, "before");
    List<AuditEntry> entries = control.auditLog(ctx.queryParam("instance_id"), before, intParam(ctx, "limit", 100));
    ctx.json(Map.of("entries", entries.stream().map(e -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("at", Iso.of(e.at()));
      m.put("actor", e.actor());
      m.put("instance_id", e.instanceId());
      m.put("action", e.action());
      m.put("target", e.target());
      m.put("detail", e.detail());
      return m;
    }).toList()));
  }

  private Map<String, Object> withUsage(InstanceInfo info) {
    Map<String, Object> out = instanceJson(info);
    InstanceUsage u = control.usage(info.instanceId());
    out.put("memory_count", u.memoryCount());
    out.put("api_calls_24h", u.apiCalls24h());
    out.put("last_active_at", Iso.of(u.lastActiveAt()));
    return out;
  }

  static Map<String, Object> instanceJson(InstanceInfo i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instance_id", i.instanceId());
    m.put("client_id", i.clientId());
    m.put("name", i.name());
    m.put("description", i.description());
    m.put("metadata", i.metadata());
    m.put("user_context_isolation", i.mode().wireName());
    m.put("status", i.status());
    m.put("created_at", Iso.of(i.createdAt()));
    m.put("updated_at", Iso.of(i.updatedAt()));
    m.put("archived_at", Iso.of(i.archivedAt()));
    return m;
  }

  static Map<String, Object> keyJson(ApiKeyInfo k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key_id", k.keyId());
    m.put("instance_id", k.instanceId());
    m.put("prefix", k.prefix());
    m.put("label", k.label());
    m.put("permissions", k.permissions().stream().sorted().map(Permission::wireName).toList());
    m.put("status", k.revokedAt() != null ? "revoked" : k.active() ? "active" : "expired");
    m.put("created_at", Iso.of(k.createdAt()));
    m.put("last_used_at", Iso.of(k.lastUsedAt()));
    m.put("expires_at", Iso.of(k.expiresAt()));
    m.put("revoked_at", Iso.of(k.revokedAt()));
    return m;
  }

  static String actor(Context ctx) {
    AdminKeyInfo admin = ctx.attribute(ADMIN);
    if (admin == null) throw new ApiError(401, "unauthenticated", "missing admin credential");
    return "admin:" + admin.keyId();
  }

  /** Why a change was made: {@code reason} in the body, or the query for bodiless requests. */
  private static String reason(Context ctx) {
    String inBody = Bodies.string(body(ctx), "reason");
    return inBody != null ? inBody : ctx.queryParam("reason");
  }

  /** The body as a JSON object, read once; an empty body is an empty object (admin bodies are all optional fields). */
  static JsonNode body(Context ctx) {
    JsonNode cached = ctx.attribute("synap.admin.body");
    if (cached != null) return cached;
    byte[] bytes = Bodies.bytes(ctx);
    JsonNode b = bytes.length == 0 ? Bodies.MAPPER.createObjectNode() : Bodies.object(bytes);
    ctx.attribute("synap.admin.body", b);
    return b;
  }

  private static Map<String, Object> metadata(JsonNode b) {
    JsonNode m = b.get("metadata");
    if (m == null || m.isNull()) return null;
    if (!m.isObject()) throw new InvalidInputException("metadata must be an object");
    if (m.toString().length() > 16_384) throw new InvalidInputException("metadata must be at most 16 KB of JSON");
    return Bodies.MAPPER.convertValue(m, new TypeReference<Map<String, Object>>() {});
  }

  static int intParam(Context ctx, String name, int fallback) {
    String v = ctx.queryParam(name);
    if (v == null) return fallback;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be an integer");
    }
  }

  private static long longParam(Context ctx, String name) {
    try {
      return Long.parseLong(ctx.queryParam(name));
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be an integer");
    }
  }
}
