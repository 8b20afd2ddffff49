package dev.synap.core.entity;

import java.util.List;

/**
 * A canonical entity of one instance.
 *
 * @param aliases every name it is known by, canonical name included
 * @param mergedInto the entity that absorbed this one, or null while it is active
 */
public record Entity(String entityId, String instanceId, String canonicalName, EntityType type, List<String> aliases, String mergedInto) {
  public Entity {
    aliases = List.copyOf(aliases);
  }

  public boolean active() {
    return mergedInto == null;
  }
}
