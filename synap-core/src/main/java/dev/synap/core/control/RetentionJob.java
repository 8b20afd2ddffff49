package dev.synap.core.control;

import dev.synap.core.MemoryWrites;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.TenantStore;
import dev.synap.core.tenant.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Ages memories out: a memory created (said) longer ago than its instance's
 * {@code retention.max_memory_age_days} is deleted through {@link MemoryWrites}, the one path that
 * removes it from the store and the search index and leaves a content-free "deleted" marker in
 * its history. Runs hourly in the engine and on demand (admin API).
 */
public final class RetentionJob {
  private static final int BATCH = 500;
  private final TenantStore tenants;
  private final MemoryStore memories;
  private final MemoryWrites writes;
  private final MemoryConfigs configs;

  public RetentionJob(TenantStore tenants, MemoryStore memories, MemoryWrites writes, MemoryConfigs configs) {
    this.tenants = tenants;
    this.memories = memories;
    this.writes = writes;
    this.configs = configs;
  }

  /** Ages out every instance's expired memories; returns how many were deleted. */
  public int runOnce(Instant now) {
    int deleted = 0;
    for (Instance i : tenants.instances()) deleted += runOnce(i.instanceId(), now);
    return deleted;
  }

  public int runOnce(String instanceId, Instant now) {
    int days = configs.active(instanceId).maxMemoryAgeDays();
    if (days == 0) return 0;
    Instant cutoff = now.minus(Duration.ofDays(days));
    int deleted = 0;
    while (true) {
      List<String> ids = memories.createdBefore(instanceId, cutoff, BATCH);
      if (ids.isEmpty()) return deleted;
      for (String id : ids) if (writes.delete(instanceId, id)) deleted++;
      if (ids.size() < BATCH) return deleted;
    }
  }
}
