package dev.synap.core.tenant;

import java.time.Instant;

/** What is known of a key without its secret: the secret itself is never stored. */
public record ApiKeyInfo(
    String keyId, String instanceId, String prefix, String label, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

  public boolean active() {
    return revokedAt == null;
  }
}
