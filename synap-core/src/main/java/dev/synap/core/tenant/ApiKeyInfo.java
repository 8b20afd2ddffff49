package dev.synap.core.tenant;

import dev.synap.core.control.Permission;
import java.time.Instant;
import java.util.Set;

/**
 * What is known of a key without its secret: the secret itself is never stored.
 *
 * @param expiresAt when the key stops working (null: never); a rotated key's grace period ends here
 */
public record ApiKeyInfo(
    String keyId, String instanceId, String prefix, String label, Instant createdAt, Instant lastUsedAt, Instant revokedAt,
    Set<Permission> permissions, Instant expiresAt) {

  public ApiKeyInfo {
    permissions = permissions == null ? Permission.all() : Set.copyOf(permissions);
  }

  public boolean active() {
    return revokedAt == null && (expiresAt == null || expiresAt.isAfter(Instant.now()));
  }
}
