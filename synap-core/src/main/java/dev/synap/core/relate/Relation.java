package dev.synap.core.relate;

import java.time.Instant;

/**
 * One stored relation: {@code subject --relation--> object}, stated by {@code memoryId}.
 *
 * @param status {@code current} or {@code superseded} (a newer statement of a single-valued relation)
 * @param supersededBy the relation that replaced this one, or null
 */
public record Relation(String relationId, String instanceId, String userId, String customerId, String subjectEntityId,
    String relation, String objectEntityId, String memoryId, String status, String supersededBy, Instant createdAt) {

  public boolean isCurrent() {
    return "current".equals(status);
  }

  /** The entity at the other end from {@code entityId}. */
  public String other(String entityId) {
    return subjectEntityId.equals(entityId) ? objectEntityId : subjectEntityId;
  }
}
