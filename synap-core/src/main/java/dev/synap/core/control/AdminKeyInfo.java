package dev.synap.core.control;

import java.time.Instant;

/** An admin credential without its secret. */
public record AdminKeyInfo(String keyId, String prefix, String label, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
  public boolean active() {
    return revokedAt == null;
  }
}
