package dev.synap.core.entity;

import dev.synap.core.store.EntityStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves mentions to canonical entities of an instance, creating entities for new names and
 * recording the alias whenever a different spelling resolves to a known one. Keeps each
 * instance's active entities in memory; this engine is the registry's only writer, so the cache
 * is refreshed on every change it makes.
 */
public final class EntityRegistry {
  private final EntityStore store;
  private final EntityResolver resolver = new EntityResolver();
  private final Map<String, List<Entity>> cache = new ConcurrentHashMap<>();

  public EntityRegistry(EntityStore store) {
    this.store = store;
  }

  /** The canonical entity for {@code name}, created when nothing known matches. */
  public synchronized Entity resolve(String instanceId, String name, EntityType type) {
    List<Entity> known = cache.computeIfAbsent(instanceId, store::active);
    var match = resolver.resolve(name, type, known);
    if (match.isPresent()) {
      Entity e = match.get().entity();
      if (!match.get().method().equals("exact")) {
        store.addAlias(instanceId, e.entityId(), name, match.get().method());
        cache.put(instanceId, store.active(instanceId));
      }
      return e;
    }
    Entity created = store.create(instanceId, name, type);
    // A short form seen earlier ("Mel") is the same person as this fuller name: fold it in.
    for (Entity shorter : resolver.shortFormsOf(created, known)) {
      store.merge(instanceId, shorter.entityId(), created.entityId(), "short form of " + created.canonicalName());
    }
    cache.put(instanceId, store.active(instanceId));
    return store.get(instanceId, created.entityId()).orElse(created);
  }

  /** Folds one entity into another, keeping the history; later mentions of either name resolve to the survivor. */
  public synchronized Entity merge(String instanceId, String fromId, String intoId, String reason) {
    Entity merged = store.merge(instanceId, fromId, intoId, reason);
    cache.put(instanceId, store.active(instanceId));
    return merged;
  }

  /** Drops the cached view of an instance after its entities changed outside the registry (user deletion). */
  public void invalidate(String instanceId) {
    cache.remove(instanceId);
  }

  public List<Entity> entities(String instanceId) {
    return cache.computeIfAbsent(instanceId, store::active);
  }
}
