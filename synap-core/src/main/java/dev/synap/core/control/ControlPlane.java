package dev.synap.core.control;

import dev.synap.core.ConflictException;
import dev.synap.core.InvalidInputException;
import dev.synap.core.NotFoundException;
import dev.synap.core.analytics.Metric;
import dev.synap.core.analytics.UsageQuery;
import dev.synap.core.store.ControlStore;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.TenantStore;
import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.ApiKeys;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.Tenancy;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything an operator changes: admin credentials, instances (create, update, archive, delete)
 * and instance keys (create with permissions and expiry, revoke, rotate). Every change is written
 * to the audit log with its actor and, when given, its reason.
 */
public final class ControlPlane {
  /** Admin secrets: {@code sk_admin_} + 40 hex; never accepted where an instance key is expected. */
  public static final String ADMIN_PREFIX = "sk_admin_";
  /** How long a rotated key keeps working beside its successor when the caller names no grace period. */
  public static final Duration DEFAULT_ROTATION_GRACE = Duration.ofHours(24);
  public static final int MAX_PAGE_SIZE = 100;

  public record NewAdminKey(AdminKeyInfo info, String secret) {}

  /** A page of instances: the items, the total count, and the page asked for. */
  public record Page<T>(List<T> items, long total, int page, int pageSize) {}

  /** A rotation: the successor key (its secret shown once) and when the old one stops working. */
  public record Rotation(Tenancy.NewKey successor, ApiKeyInfo previous, Instant previousExpiresAt) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private final TenantStore tenants;
  private final ControlStore control;
  private final MemoryStore memories;
  private final Tenancy tenancy;
  private final UsageQuery usage;
  private final Consumer<String> instanceDeleted;

  /**
   * @param instanceDeleted called with an instance id after its rows are gone (derived state, such as its search index, goes too)
   */
  public ControlPlane(TenantStore tenants, ControlStore control, MemoryStore memories, Tenancy tenancy, UsageQuery usage,
      Consumer<String> instanceDeleted) {
    this.tenants = tenants;
    this.control = control;
    this.memories = memories;
    this.tenancy = tenancy;
    this.usage = usage;
    this.instanceDeleted = instanceDeleted;
  }

  // ---- admin credential

  public NewAdminKey createAdminKey(String actor, String label) {
    byte[] b = new byte[20];
    RANDOM.nextBytes(b);
    String secret = ADMIN_PREFIX + HexFormat.of().formatHex(b);
    AdminKeyInfo info = control.addAdminKey(ApiKeys.hash(secret), secret.substring(0, ADMIN_PREFIX.length() + 6), label);
    control.audit(actor, null, "admin_key.create", info.keyId(), Map.of("label", label == null ? "" : label));
    return new NewAdminKey(info, secret);
  }

  public Optional<AdminKeyInfo> authenticateAdmin(String secret) {
    if (secret == null || !secret.startsWith(ADMIN_PREFIX) || secret.length() > 200) return Optional.empty();
    return control.authenticateAdmin(ApiKeys.hash(secret));
  }

  /** Whether the admin key with this hash still works: sessions opened with it (the console's) end when it does not. */
  public boolean adminKeyActive(String keyHash) {
    return control.authenticateAdmin(keyHash).isPresent();
  }

  public List<AdminKeyInfo> adminKeys() {
    return control.adminKeys();
  }

  public boolean revokeAdminKey(String actor, String keyIdOrPrefix) {
    boolean revoked = control.revokeAdminKey(keyIdOrPrefix);
    if (revoked) control.audit(actor, null, "admin_key.revoke", keyIdOrPrefix, Map.of());
    return revoked;
  }

  // ---- instances

  public InstanceInfo createInstance(String actor, String name, String description, Map<String, Object> metadata, RelationshipMode mode) {
    checkName(name);
    InstanceInfo info = tenants.createInstance(null, name, description, metadata, mode);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("name", name);
    detail.put("user_context_isolation", mode.wireName());
    control.audit(actor, info.instanceId(), "instance.create", info.instanceId(), detail);
    return info;
  }

  public Page<InstanceInfo> instances(int page, int pageSize, boolean includeArchived) {
    if (page < 1) throw new InvalidInputException("page must be 1 or more");
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new InvalidInputException("page_size must be 1.." + MAX_PAGE_SIZE);
    return new Page<>(tenants.instanceInfos(includeArchived, (page - 1) * pageSize, pageSize), tenants.instanceCount(includeArchived), page, pageSize);
  }

  public InstanceInfo instance(String instanceId) {
    return tenants.instanceInfo(instanceId).orElseThrow(() -> new NotFoundException("no instance " + instanceId));
  }

  public InstanceUsage usage(String instanceId) {
    long now = System.currentTimeMillis();
    return new InstanceUsage(memories.count(instanceId), usage.total(instanceId, Metric.API_CALL, now - Duration.ofHours(24).toMillis(), now + 1),
        tenants.lastActive(instanceId));
  }

  public InstanceInfo update(String actor, String instanceId, String name, String description, Map<String, Object> metadata, String reason) {
    if (name != null) checkName(name);
    InstanceInfo info = tenants.updateInstance(instanceId, name, description, metadata)
        .orElseThrow(() -> new NotFoundException("no instance " + instanceId));
    Map<String, Object> detail = new LinkedHashMap<>();
    if (name != null) detail.put("name", name);
    if (description != null) detail.put("description", description);
    if (metadata != null) detail.put("metadata", metadata);
    if (reason != null) detail.put("reason", reason);
    control.audit(actor, instanceId, "instance.update", instanceId, detail);
    return info;
  }

  /** Archives (read-only: reads work, writes are refused); archiving an archived instance changes nothing. */
  public InstanceInfo archive(String actor, String instanceId, String reason) {
    InstanceInfo before = instance(instanceId);
    if (!before.archived() && tenants.archiveInstance(instanceId)) {
      tenancy.forgetCachedGrants();
      control.audit(actor, instanceId, "instance.archive", instanceId, reason == null ? Map.of() : Map.of("reason", reason));
    }
    return instance(instanceId);
  }

  /** Deletes an archived instance with everything it holds; an active one must be archived first. */
  public void delete(String actor, String instanceId, String reason) {
    InstanceInfo info = instance(instanceId);
    if (!info.archived()) throw new ConflictException("instance_not_archived", "archive the instance before deleting it");
    if (!tenants.deleteInstance(instanceId)) throw new NotFoundException("no instance " + instanceId);
    tenancy.forgetCachedGrants();
    instanceDeleted.accept(instanceId);
    control.audit(actor, instanceId, "instance.delete", instanceId, reason == null ? Map.of() : Map.of("reason", reason));
  }

  // ---- instance keys

  public Tenancy.NewKey createKey(String actor, String instanceId, String label, Set<Permission> permissions, Instant expiresAt) {
    InstanceInfo info = instance(instanceId);
    if (info.archived()) throw new ConflictException("instance_archived", "an archived instance gets no new keys");
    if (expiresAt != null && !expiresAt.isAfter(Instant.now())) throw new InvalidInputException("expires_at must be in the future");
    Tenancy.NewKey key = tenancy.createKey(instanceId, label, permissions, expiresAt);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("label", label == null ? "" : label);
    detail.put("permissions", Permission.names(permissions));
    if (expiresAt != null) detail.put("expires_at", expiresAt.toString());
    control.audit(actor, instanceId, "key.create", key.info().keyId(), detail);
    return key;
  }

  public List<ApiKeyInfo> keys(String instanceId) {
    instance(instanceId);
    return tenancy.keys(instanceId);
  }

  public ApiKeyInfo key(String keyId) {
    return tenants.key(keyId).orElseThrow(() -> new NotFoundException("no key " + keyId));
  }

  public ApiKeyInfo revokeKey(String actor, String keyId, String reason) {
    ApiKeyInfo k = key(keyId);
    if (tenancy.revoke(keyId)) control.audit(actor, k.instanceId(), "key.revoke", keyId, reason == null ? Map.of() : Map.of("reason", reason));
    return key(keyId);
  }

  /**
   * Issues a successor with the same label, permissions and expiry; the old key keeps working for
   * {@code grace} (null: {@link #DEFAULT_ROTATION_GRACE}; zero ends it now), so a deployment
   * pipeline can roll the new key out before the old one stops.
   */
  public Rotation rotateKey(String actor, String keyId, Duration grace, String reason) {
    ApiKeyInfo old = key(keyId);
    if (!old.active()) throw new ConflictException("key_inactive", "key " + keyId + " is revoked or expired");
    Duration g = grace == null ? DEFAULT_ROTATION_GRACE : grace;
    if (g.isNegative()) throw new InvalidInputException("grace_seconds must be 0 or more");
    Tenancy.NewKey successor = tenancy.createKey(old.instanceId(), old.label(), old.permissions(), old.expiresAt());
    Instant until = Instant.now().plus(g);
    if (old.expiresAt() != null && old.expiresAt().isBefore(until)) until = old.expiresAt();
    tenants.expireKey(keyId, until);
    tenancy.forgetCachedGrants();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("successor", successor.info().keyId());
    detail.put("old_key_expires_at", until.toString());
    if (reason != null) detail.put("reason", reason);
    control.audit(actor, old.instanceId(), "key.rotate", keyId, detail);
    return new Rotation(successor, key(keyId), until);
  }

  // ---- audit

  public void audit(String actor, String instanceId, String action, String target, Map<String, Object> detail) {
    control.audit(actor, instanceId, action, target, detail);
  }

  public List<AuditEntry> auditLog(String instanceId, long beforeId, int limit) {
    if (limit < 1 || limit > 500) throw new InvalidInputException("limit must be 1..500");
    return control.auditLog(instanceId, beforeId, limit);
  }

  private static void checkName(String name) {
    if (name == null || name.isBlank() || name.length() > 200) throw new InvalidInputException("name must be 1-200 characters");
  }
}
