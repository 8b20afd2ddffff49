package dev.synap.core.tenant;

import dev.synap.core.control.KeyGrant;
import dev.synap.core.control.Permission;
import dev.synap.core.store.TenantStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys and instances. Authentication is a hash lookup cached in memory for a few seconds, so a
 * refused or accepted key costs no storage work on the hot path; revocation clears the cache.
 */
public final class Tenancy {
  /** A freshly created key: the only moment its secret exists outside the caller. */
  public record NewKey(ApiKeyInfo info, String secret) {}

  /** First-start result: the instance, and its first key when one was just made. */
  public record Bootstrap(Instance instance, Optional<NewKey> firstKey) {}

  private record Cached(Optional<KeyGrant> grant, long expiresAtNanos) {}

  private static final long CACHE_NANOS = 5_000_000_000L;
  private final TenantStore store;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public Tenancy(TenantStore store) {
    this.store = store;
  }

  /** Makes sure a client, an instance and a key exist; creates them on an empty store. */
  public synchronized Bootstrap bootstrap(RelationshipMode mode) {
    List<Instance> existing = store.instances();
    if (!existing.isEmpty()) return new Bootstrap(existing.getFirst(), Optional.empty());
    Instance instance = store.createInstance("default", mode);
    return new Bootstrap(instance, Optional.of(createKey(instance.instanceId(), "bootstrap")));
  }

  public Instance createInstance(String clientName, RelationshipMode mode) {
    return store.createInstance(clientName, mode);
  }

  public NewKey createKey(String instanceId, String label) {
    return createKey(instanceId, label, Permission.all(), null);
  }

  /** A key with these permissions, ending at {@code expiresAt} (null: never). */
  public NewKey createKey(String instanceId, String label, Set<Permission> permissions, Instant expiresAt) {
    store.findInstance(instanceId).orElseThrow(() -> new IllegalArgumentException("no such instance: " + instanceId));
    String secret = ApiKeys.newSecret();
    ApiKeyInfo info = store.addKey(instanceId, ApiKeys.hash(secret), ApiKeys.displayPrefix(secret), label, permissions, expiresAt);
    return new NewKey(info, secret);
  }

  /** Forgets cached grants: after a revocation, an expiry or an archive they must count at once. */
  public void forgetCachedGrants() {
    cache.clear();
  }

  public List<ApiKeyInfo> keys(String instanceId) {
    return store.keys(instanceId);
  }

  public List<Instance> instances() {
    return store.instances();
  }

  public Optional<Instance> instance(String instanceId) {
    return store.findInstance(instanceId);
  }

  public boolean revoke(String keyIdOrPrefix) {
    boolean revoked = store.revokeKey(keyIdOrPrefix);
    if (revoked) cache.clear();
    return revoked;
  }

  /** The instance a bearer secret belongs to, if the key exists and is not revoked or expired. */
  public Optional<Instance> authenticate(String secret) {
    return authorize(secret).map(KeyGrant::instance);
  }

  /** What a bearer secret grants, if the key exists and is not revoked or expired. */
  public Optional<KeyGrant> authorize(String secret) {
    if (secret == null || !secret.startsWith(ApiKeys.PREFIX) || secret.length() > 200) return Optional.empty();
    String hash = ApiKeys.hash(secret);
    long now = System.nanoTime();
    Cached c = cache.get(hash);
    if (c != null && c.expiresAtNanos() - now > 0) return c.grant();
    Optional<KeyGrant> found = store.grant(hash);
    // Last-used time is written off the caller's path: a refused or accepted key costs no fsync.
    if (found.isPresent()) Thread.ofVirtual().name("synap-key-touch").start(() -> touchQuietly(hash));
    if (cache.size() > 10_000) cache.clear();
    // A key that ends sooner than the cache would keep it is cached only until it ends.
    long keep = found.map(KeyGrant::expiresAt)
        .map(at -> Math.min(CACHE_NANOS, Math.max(0, (at.toEpochMilli() - System.currentTimeMillis()) * 1_000_000)))
        .orElse(CACHE_NANOS);
    cache.put(hash, new Cached(found, now + keep));
    return found;
  }

  /** Best effort: a lost last-used stamp (store closing) must not surface anywhere. */
  private void touchQuietly(String hash) {
    try {
      store.touch(hash);
    } catch (RuntimeException ignored) {
      // the next authentication records it
    }
  }

  /** True while the key behind this secret is still active (checked against storage). */
  public boolean stillActive(String secret) {
    cache.remove(ApiKeys.hash(secret));
    return authenticate(secret).isPresent();
  }
}
