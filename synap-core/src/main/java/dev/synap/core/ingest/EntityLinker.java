package dev.synap.core.ingest;

import dev.synap.core.entity.Entity;
import dev.synap.core.entity.EntityRegistry;
import dev.synap.core.entity.EntityType;
import dev.synap.core.extract.ExtractedMemory;
import dev.synap.core.model.Message;
import dev.synap.core.relate.RelationLinker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces the names an extractor found ({@code attributes.mentions}, {@code attributes.subject})
 * with canonical entities: {@code entity_ids} (every entity mentioned), {@code entity_id} (the
 * main subject) and {@code entities} (their canonical names); adds the relations the memory states
 * ({@code relations}, see {@link RelationLinker}).
 */
final class EntityLinker {
  private final EntityRegistry registry;
  private final RelationLinker relations;

  EntityLinker(EntityRegistry registry) {
    this.registry = registry;
    this.relations = new RelationLinker(registry);
  }

  List<ExtractedMemory> link(Message message, List<ExtractedMemory> extracted) {
    List<ExtractedMemory> out = new ArrayList<>(extracted.size());
    // "I" in a relation is the speaker, else the user the message belongs to.
    String speaker = message.metadata() == null ? null : message.metadata().get("speaker");
    String self = speaker != null && !speaker.isBlank() ? speaker.strip() : message.userId();
    for (ExtractedMemory e : extracted) out.add(link(message.instanceId(), self, e));
    return out;
  }

  private ExtractedMemory link(String instanceId, String self, ExtractedMemory e) {
    Map<String, Object> attrs = new LinkedHashMap<>(e.attributes());
    Object mentions = attrs.remove("mentions");
    Set<String> ids = new LinkedHashSet<>();
    Set<String> names = new LinkedHashSet<>();
    Map<String, String> idByName = new LinkedHashMap<>();
    if (mentions instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> mention) || !(mention.get("name") instanceof String name) || name.isBlank()) continue;
        Entity entity = registry.resolve(instanceId, name, EntityType.parse(String.valueOf(mention.get("type"))));
        ids.add(entity.entityId());
        names.add(entity.canonicalName());
        idByName.put(name, entity.entityId());
      }
    }
    if (attrs.get("subject") instanceof String subject && !subject.isBlank()) {
      String id = idByName.get(subject);
      if (id == null) {
        Entity entity = registry.resolve(instanceId, subject, EntityType.PERSON);
        id = entity.entityId();
        ids.add(id);
        names.add(entity.canonicalName());
      }
      attrs.put("entity_id", id);
    }
    List<Map<String, Object>> stated = relations.link(instanceId, self, e.content(), ids);
    if (!stated.isEmpty()) attrs.put(RelationLinker.ATTRIBUTE, stated);
    if (!ids.isEmpty()) {
      attrs.put("entity_ids", List.copyOf(ids));
      attrs.put("entities", List.copyOf(names));
    }
    return new ExtractedMemory(e.type(), e.content(), e.confidence(), e.category(), Map.copyOf(attrs), e.eventDate(), e.temporalCategory());
  }
}
