package dev.synap.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Versions of each instance's memory configuration (the body is canonical JSON; flags a JSON array). */
public interface MemoryConfigStore {
  record Version(String instanceId, int version, String status, String body, String source, String reviewFlags, Instant createdAt,
      String createdBy, String reason, Instant activatedAt, String applyMode) {}

  /** Adds the next version number of the instance; returns it. */
  Version add(String instanceId, String status, String body, String source, String reviewFlags, String createdBy, String reason);

  Optional<Version> get(String instanceId, int version);

  /** Newest first. */
  List<Version> list(String instanceId);

  Optional<Version> active(String instanceId);

  /** Replaces a draft's body and flags; false unless the version is {@code pending_review}. */
  boolean updateDraft(String instanceId, int version, String body, String reviewFlags);

  /** Marks the version active (the previous active one superseded) in one transaction. */
  void activate(String instanceId, int version, String applyMode, Instant at);

  /** Every instance's active version (for the retention job). */
  List<Version> allActive();
}
