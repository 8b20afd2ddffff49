package dev.synap.server.auth;

import dev.synap.core.control.KeyGrant;
import dev.synap.core.control.Permission;
import dev.synap.core.tenant.Instance;

/**
 * An authenticated caller: the instance its key belongs to, the key's hash (for revocation), and
 * what the key grants (permissions, whether the instance is archived).
 */
public record Caller(Instance instance, String keyHash, KeyGrant grant) {
  /** A caller whose key may do everything (tests, tools). */
  public Caller(Instance instance, String keyHash) {
    this(instance, keyHash, new KeyGrant(instance, null, Permission.all(), false, null));
  }

  public boolean allows(Permission p) {
    return grant.allows(p);
  }
}
