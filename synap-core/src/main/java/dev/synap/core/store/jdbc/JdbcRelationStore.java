package dev.synap.core.store.jdbc;

import dev.synap.core.model.Memory;
import dev.synap.core.relate.Relation;
import dev.synap.core.relate.RelationLinker;
import dev.synap.core.relate.RelationName;
import dev.synap.core.store.RelationStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Entity relations, the same SQL for SQLite and PostgreSQL. Writes happen inside the memory
 * store's insert transaction ({@link #recordFrom}); deletion follows the memory (a trigger on
 * SQLite, a cascading foreign key on PostgreSQL), so nothing here deletes.
 */
public final class JdbcRelationStore implements RelationStore {
  private static final String COLUMNS = "r.relation_id, r.instance_id, r.user_id, r.customer_id, r.subject_entity_id, r.relation, "
      + "r.object_entity_id, r.memory_id, r.status, r.superseded_by, r.created_at";
  /** A relation reads as current only while its memory is. */
  private static final String CURRENT = "r.status = 'current' AND EXISTS (SELECT 1 FROM memories m WHERE m.memory_id = r.memory_id AND m.status = 'current')";
  private final JdbcAccess db;

  public JdbcRelationStore(JdbcAccess db) {
    this.db = db;
  }

  @Override
  public List<Relation> ofEntity(String instanceId, String entityId, boolean currentOnly) {
    return db.read(c -> {
      String sql = "SELECT " + COLUMNS + " FROM entity_relations r WHERE r.instance_id = ? AND (r.subject_entity_id = ? OR r.object_entity_id = ?)"
          + (currentOnly ? " AND " + CURRENT : "") + " ORDER BY r.created_at DESC, r.relation_id";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, instanceId);
        ps.setString(2, entityId);
        ps.setString(3, entityId);
        return list(ps);
      }
    });
  }

  @Override
  public List<Relation> currentOf(String instanceId, Collection<String> entityIds, int limit) {
    if (entityIds.isEmpty()) return List.of();
    List<String> ids = List.copyOf(entityIds);
    String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
    return db.read(c -> {
      String sql = "SELECT " + COLUMNS + " FROM entity_relations r WHERE r.instance_id = ? AND (r.subject_entity_id IN (" + marks
          + ") OR r.object_entity_id IN (" + marks + ")) AND " + CURRENT + " ORDER BY r.created_at DESC, r.relation_id LIMIT " + Math.max(1, limit);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        ps.setString(i++, instanceId);
        for (String id : ids) ps.setString(i++, id);
        for (String id : ids) ps.setString(i++, id);
        return list(ps);
      }
    });
  }

  /**
   * Records the relations new memories state (their {@code relations} attribute), in the caller's
   * transaction. A single-valued relation supersedes the same subject's current one with another
   * object, for the same owner. Idempotent: relation ids derive from the memory id and position.
   */
  public static void recordFrom(Connection c, List<Memory> memories) throws SQLException {
    for (Memory m : memories) {
      if (!(m.attributes().get(RelationLinker.ATTRIBUTE) instanceof List<?> stated) || stated.isEmpty()) continue;
      for (int i = 0; i < stated.size(); i++) {
        if (!(stated.get(i) instanceof Map<?, ?> s) || !(s.get("relation") instanceof String name) || !(s.get("subject_id") instanceof String subject)
            || !(s.get("object_id") instanceof String object)) continue;
        String id = UUID.nameUUIDFromBytes((m.memoryId() + "#relation" + i).getBytes(StandardCharsets.UTF_8)).toString();
        if (RelationName.parse(name).map(RelationName::singleValued).orElse(false)) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE entity_relations SET status = 'superseded', superseded_by = ? WHERE instance_id = ? "
              + "AND subject_entity_id = ? AND relation = ? AND object_entity_id <> ? AND status = 'current' AND relation_id <> ? "
              + "AND COALESCE(user_id, '') = COALESCE(?, '') AND COALESCE(customer_id, '') = COALESCE(?, '')")) {
            ps.setString(1, id);
            ps.setString(2, m.instanceId());
            ps.setString(3, subject);
            ps.setString(4, name);
            ps.setString(5, object);
            ps.setString(6, id);
            ps.setString(7, m.userId());
            ps.setString(8, m.customerId());
            ps.executeUpdate();
          }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO entity_relations (relation_id, instance_id, user_id, customer_id, "
            + "subject_entity_id, relation, object_entity_id, memory_id, status, created_at) VALUES (?,?,?,?,?,?,?,?,'current',?) "
            + "ON CONFLICT (relation_id) DO NOTHING")) {
          ps.setString(1, id);
          ps.setString(2, m.instanceId());
          ps.setString(3, m.userId());
          ps.setString(4, m.customerId());
          ps.setString(5, subject);
          ps.setString(6, name);
          ps.setString(7, object);
          ps.setString(8, m.memoryId());
          ps.setLong(9, m.createdAt().toEpochMilli());
          ps.executeUpdate();
        }
      }
    }
  }

  private static List<Relation> list(PreparedStatement ps) throws SQLException {
    List<Relation> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Relation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), Instant.ofEpochMilli(rs.getLong(11))));
      }
    }
    return out;
  }
}
