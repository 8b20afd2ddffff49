package dev.synap.core.store;

import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.RelationshipMode;
import java.util.List;
import java.util.Optional;

/** Clients, instances and API keys (stored as hashes only). */
public interface TenantStore {
  /** Creates a client with one instance. */
  Instance createInstance(String clientName, RelationshipMode mode);

  Optional<Instance> findInstance(String instanceId);

  List<Instance> instances();

  ApiKeyInfo addKey(String instanceId, String keyHash, String displayPrefix, String label);

  /** The instance of an active key with this hash; empty for unknown or revoked keys. */
  Optional<Instance> authenticate(String keyHash);

  /** Keys of one instance, or of all instances when {@code instanceId} is null. */
  List<ApiKeyInfo> keys(String instanceId);

  /** Revokes by key id or display prefix; true when a key was active and is now revoked. */
  boolean revokeKey(String keyIdOrPrefix);

  /** Notes that a key was just used (at most once a minute is recorded). */
  void touch(String keyHash);

  /** Hashes of revoked keys, so open streams of a revoked key can be closed. */
  List<String> revokedKeyHashes();
}
