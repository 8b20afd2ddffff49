package dev.synap.core.control;

import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.RelationshipMode;
import java.time.Instant;
import java.util.Map;

/** An instance as the admin API shows it. {@code status} is {@code active} or {@code archived}. */
public record InstanceInfo(String instanceId, String clientId, RelationshipMode mode, String name, String description,
    Map<String, Object> metadata, String status, Instant createdAt, Instant updatedAt, Instant archivedAt) {
  public static final String ACTIVE = "active";
  public static final String ARCHIVED = "archived";

  public boolean archived() {
    return ARCHIVED.equals(status);
  }

  public Instance instance() {
    return new Instance(instanceId, clientId, mode);
  }
}
