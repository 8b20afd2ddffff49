package dev.synap.core.store;

import dev.synap.core.entity.Entity;
import dev.synap.core.entity.EntityMerge;
import dev.synap.core.entity.EntityType;
import java.util.List;
import java.util.Optional;

/**
 * The per-instance entity registry. Creation is idempotent (ids derive from instance, type and
 * normalised name), so re-processing a message after a crash finds the entities it made before.
 */
public interface EntityStore {

  /** Active (not merged) entities of an instance, with their aliases. */
  List<Entity> active(String instanceId);

  Optional<Entity> get(String instanceId, String entityId);

  /** Creates the entity unless it exists; returns it either way. */
  Entity create(String instanceId, String canonicalName, EntityType type);

  /** Records another name for an entity; a name already taken by any entity is left alone. */
  void addAlias(String instanceId, String entityId, String alias, String method);

  /** Folds {@code fromId} into {@code intoId}: aliases move, the merge is recorded, old ids stay resolvable. */
  Entity merge(String instanceId, String fromId, String intoId, String reason);

  List<EntityMerge> merges(String instanceId);
}
