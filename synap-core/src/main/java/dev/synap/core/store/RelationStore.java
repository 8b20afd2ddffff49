package dev.synap.core.store;

import dev.synap.core.relate.Relation;
import java.util.Collection;
import java.util.List;

/**
 * Relations between entities, each stated by one memory. They are written with their memory (the
 * store records a new memory's {@code relations} attribute in the same transaction) and go with
 * it; reads see a relation as current only while its memory is current too.
 */
public interface RelationStore {

  /**
   * Relations with {@code entityId} at either end, newest first; with {@code currentOnly} only
   * those current (not superseded, memory current), else the superseded ones too.
   */
  List<Relation> ofEntity(String instanceId, String entityId, boolean currentOnly);

  /** Current relations touching any of {@code entityIds}, newest first, at most {@code limit}. */
  List<Relation> currentOf(String instanceId, Collection<String> entityIds, int limit);
}
