package dev.synap.core.store;

import dev.synap.core.control.AdminKeyInfo;
import dev.synap.core.control.AuditEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The deployment's admin credentials (hashes only) and the audit log of control-plane changes. */
public interface ControlStore {
  AdminKeyInfo addAdminKey(String keyHash, String displayPrefix, String label);

  /** The active admin key with this hash (and notes its use, at most once a minute). */
  Optional<AdminKeyInfo> authenticateAdmin(String keyHash);

  List<AdminKeyInfo> adminKeys();

  boolean revokeAdminKey(String keyIdOrPrefix);

  /** Appends one entry; returns its id. */
  long audit(String actor, String instanceId, String action, String target, Map<String, Object> detail);

  /** Newest first; {@code instanceId} null reads every instance's entries; {@code beforeId} pages (0: from the newest). */
  List<AuditEntry> auditLog(String instanceId, long beforeId, int limit);
}
