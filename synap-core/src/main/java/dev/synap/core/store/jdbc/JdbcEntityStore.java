package dev.synap.core.store.jdbc;

import dev.synap.core.entity.Entity;
import dev.synap.core.entity.EntityMerge;
import dev.synap.core.entity.EntityType;
import dev.synap.core.store.EntityStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Entities, their aliases and merges: the same SQL for every JDBC store but for how a row's aliases are joined into one column. */
public final class JdbcEntityStore implements EntityStore {
  private final JdbcAccess db;
  private final String select;

  /**
   * @param aliasList SQL aggregating {@code a.alias} of {@code entity_aliases a} into one string
   *     separated by U+001F (the dialects name string aggregation differently)
   */
  public JdbcEntityStore(JdbcAccess db, String aliasList) {
    this.db = db;
    this.select = "SELECT e.entity_id, e.instance_id, e.canonical_name, e.entity_type, e.merged_into, "
        + "(SELECT " + aliasList + " FROM entity_aliases a WHERE a.entity_id = e.entity_id) FROM entities e ";
  }

  /** One normal form for every store: ids derived from it must agree across stores. */
  static String normalise(String name) {
    return name.strip().toLowerCase(Locale.ROOT).replace('\u2019', '\'').replaceAll("\\s+", " ");
  }

  @Override
  public List<Entity> active(String instanceId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(select + "WHERE e.instance_id = ? AND e.merged_into IS NULL ORDER BY e.created_at, e.entity_id")) {
        ps.setString(1, instanceId);
        return list(ps);
      }
    });
  }

  @Override
  public Optional<Entity> get(String instanceId, String entityId) {
    return db.read(c -> get(c, instanceId, entityId));
  }

  private Optional<Entity> get(Connection c, String instanceId, String entityId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(select + "WHERE e.instance_id = ? AND e.entity_id = ?")) {
      ps.setString(1, instanceId);
      ps.setString(2, entityId);
      List<Entity> found = list(ps);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }
  }

  @Override
  public Entity create(String instanceId, String canonicalName, EntityType type) {
    String norm = normalise(canonicalName);
    // Deterministic id: the same name and type in the same instance is always the same entity.
    String id = UUID.nameUUIDFromBytes((instanceId + "\u0000" + type.wireName() + "\u0000" + norm).getBytes(StandardCharsets.UTF_8)).toString();
    return db.write(c -> {
      long now = System.currentTimeMillis();
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO entities (entity_id, instance_id, canonical_name, entity_type, created_at, updated_at) VALUES (?,?,?,?,?,?) "
              + "ON CONFLICT(entity_id) DO NOTHING")) {
        ps.setString(1, id);
        ps.setString(2, instanceId);
        ps.setString(3, canonicalName.strip());
        ps.setString(4, type.wireName());
        ps.setLong(5, now);
        ps.setLong(6, now);
        ps.executeUpdate();
      }
      insertAlias(c, instanceId, id, canonicalName, "canonical");
      return get(c, instanceId, id).orElseThrow();
    });
  }

  @Override
  public void addAlias(String instanceId, String entityId, String alias, String method) {
    db.write(c -> {
      insertAlias(c, instanceId, entityId, alias, method);
      return null;
    });
  }

  private static void insertAlias(Connection c, String instanceId, String entityId, String alias, String method) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO entity_aliases (instance_id, alias_norm, alias, entity_id, method, created_at) VALUES (?,?,?,?,?,?) "
            + "ON CONFLICT(instance_id, alias_norm) DO NOTHING")) {
      ps.setString(1, instanceId);
      ps.setString(2, normalise(alias));
      ps.setString(3, alias.strip());
      ps.setString(4, entityId);
      ps.setString(5, method);
      ps.setLong(6, System.currentTimeMillis());
      ps.executeUpdate();
    }
  }

  @Override
  public Entity merge(String instanceId, String fromId, String intoId, String reason) {
    if (fromId.equals(intoId)) throw new IllegalArgumentException("cannot merge an entity into itself");
    return db.writeAlone(c -> {
      Entity into = get(c, instanceId, intoId).orElseThrow(() -> new IllegalArgumentException("no entity " + intoId));
      get(c, instanceId, fromId).orElseThrow(() -> new IllegalArgumentException("no entity " + fromId));
      if (!into.active()) throw new IllegalArgumentException("entity " + intoId + " was itself merged");
      long now = System.currentTimeMillis();
      // Aliases move to the survivor; the absorbed entity, and any merged into it earlier, point at it.
      for (String sql : List.of(
          "UPDATE entity_aliases SET entity_id = ?, method = 'merge' WHERE instance_id = ? AND entity_id = ?",
          "UPDATE entities SET merged_into = ? WHERE instance_id = ? AND entity_id = ?",
          "UPDATE entities SET merged_into = ? WHERE instance_id = ? AND merged_into = ?")) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, intoId);
          ps.setString(2, instanceId);
          ps.setString(3, fromId);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO entity_merges (instance_id, from_entity_id, into_entity_id, reason, merged_at) VALUES (?,?,?,?,?)")) {
        ps.setString(1, instanceId);
        ps.setString(2, fromId);
        ps.setString(3, intoId);
        ps.setString(4, reason);
        ps.setLong(5, now);
        ps.executeUpdate();
      }
      return get(c, instanceId, intoId).orElseThrow();
    });
  }

  @Override
  public List<EntityMerge> merges(String instanceId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT from_entity_id, into_entity_id, reason, merged_at FROM entity_merges WHERE instance_id = ? ORDER BY merge_id")) {
        ps.setString(1, instanceId);
        List<EntityMerge> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(new EntityMerge(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
        }
        return out;
      }
    });
  }

  private static List<Entity> list(PreparedStatement ps) throws SQLException {
    List<Entity> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String aliases = rs.getString(6);
        out.add(new Entity(rs.getString(1), rs.getString(2), rs.getString(3), EntityType.parse(rs.getString(4)),
            aliases == null ? List.of() : Arrays.asList(aliases.split("\u001f")), rs.getString(5)));
      }
    }
    return out;
  }
}
