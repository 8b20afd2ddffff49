package dev.synap.core.store;

import dev.synap.core.control.InstanceInfo;
import dev.synap.core.control.KeyGrant;
import dev.synap.core.control.Permission;
import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.RelationshipMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Clients, instances and API keys (stored as hashes only). */
public interface TenantStore {
  /** Creates a client with one instance. */
  Instance createInstance(String clientName, RelationshipMode mode);

  Optional<Instance> findInstance(String instanceId);

  List<Instance> instances();

  /** Creates an instance under an existing client (the deployment's first one when {@code clientId} is null). */
  InstanceInfo createInstance(String clientId, String name, String description, Map<String, Object> metadata, RelationshipMode mode);

  Optional<InstanceInfo> instanceInfo(String instanceId);

  /** Instances in creation order, archived ones only when asked for. */
  List<InstanceInfo> instanceInfos(boolean includeArchived, int offset, int limit);

  long instanceCount(boolean includeArchived);

  /** Sets the non-null fields; empty when there is no such instance. */
  Optional<InstanceInfo> updateInstance(String instanceId, String name, String description, Map<String, Object> metadata);

  /** Marks the instance archived (read-only); false when it does not exist or already is. */
  boolean archiveInstance(String instanceId);

  /**
   * Removes an archived instance and everything it holds (keys, messages, memories and their
   * history, entities, compactions, ingestions, conversations) in one transaction; false when it
   * does not exist or is not archived.
   */
  boolean deleteInstance(String instanceId);

  /** When a key of the instance was last used (null: never). */
  Instant lastActive(String instanceId);

  default ApiKeyInfo addKey(String instanceId, String keyHash, String displayPrefix, String label) {
    return addKey(instanceId, keyHash, displayPrefix, label, Permission.all(), null);
  }

  ApiKeyInfo addKey(String instanceId, String keyHash, String displayPrefix, String label, Set<Permission> permissions, Instant expiresAt);

  Optional<ApiKeyInfo> key(String keyId);

  /** Ends a key at {@code at} (a rotated key's grace period), unless it already ends sooner. */
  void expireKey(String keyId, Instant at);

  /** The grant of an active, unexpired key with this hash; empty for unknown, revoked or expired keys. */
  Optional<KeyGrant> grant(String keyHash);

  /** The instance of an active key with this hash; empty for unknown, revoked or expired keys. */
  default Optional<Instance> authenticate(String keyHash) {
    return grant(keyHash).map(KeyGrant::instance);
  }

  /** Keys of one instance, or of all instances when {@code instanceId} is null. */
  List<ApiKeyInfo> keys(String instanceId);

  /** Revokes by key id or display prefix; true when a key was active and is now revoked. */
  boolean revokeKey(String keyIdOrPrefix);

  /** Notes that a key was just used (at most once a minute is recorded). */
  void touch(String keyHash);

  /** Hashes of revoked keys, so open streams of a revoked key can be closed. */
  List<String> revokedKeyHashes();
}
