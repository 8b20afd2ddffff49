package dev.synap.core.relate;

import dev.synap.core.entity.EntityRegistry;
import dev.synap.core.entity.EntityType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns the statements {@link RelationFinder} reads in a memory's text into entity-id triples,
 * creating entities for new names. The triples travel in the memory's attributes ({@code
 * relations}: {@code relation}, {@code subject_id}, {@code object_id}) and the store records them
 * in the same transaction as the memory, so a relation is never without the memory stating it.
 */
public final class RelationLinker {
  /** The attribute carrying a memory's relations. */
  public static final String ATTRIBUTE = "relations";
  private final EntityRegistry registry;
  private final RelationFinder finder = new RelationFinder();

  public RelationLinker(EntityRegistry registry) {
    this.registry = registry;
  }

  /**
   * The relations {@code text} states, as attribute values; every entity they name is added to
   * {@code entityIds} (so the memory names its ends, and they live as long as it does).
   *
   * @param self who "I" is: the speaker, else the user; null when neither is known (first-person
   *     statements then yield nothing)
   */
  public List<Map<String, Object>> link(String instanceId, String self, String text, Collection<String> entityIds) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RelationFinder.Stated s : finder.find(text, self)) {
      String subjectName = s.subject() != null ? s.subject() : self;
      if (subjectName == null) continue;
      String subject = registry.resolve(instanceId, subjectName, EntityType.PERSON).entityId();
      String object = registry.resolve(instanceId, s.object(), s.relation().objectType()).entityId();
      if (subject.equals(object)) continue;
      entityIds.add(subject);
      entityIds.add(object);
      out.add(Map.of("relation", s.relation().wireName(), "subject_id", subject, "object_id", object));
    }
    return out;
  }
}
