package dev.synap.core.control;

import dev.synap.core.tenant.Instance;
import java.time.Instant;
import java.util.Set;

/**
 * What an accepted instance key grants: its instance, its permissions, and whether the instance
 * is archived (read-only: reads still work, every write is refused), and when the key ends (null: never).
 */
public record KeyGrant(Instance instance, String keyId, Set<Permission> permissions, boolean archived, Instant expiresAt) {
  public KeyGrant {
    permissions = Set.copyOf(permissions);
  }

  public boolean allows(Permission p) {
    return permissions.contains(p);
  }
}
