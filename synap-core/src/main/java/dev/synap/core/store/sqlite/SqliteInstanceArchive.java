package dev.synap.core.store.sqlite;

import dev.synap.core.store.InstanceArchive;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link InstanceArchive} over the SQLite tables. Each table has one selection per kind of export,
 * written as SQL with the same parameters ({@code ?1} instance, {@code ?2} user, {@code ?3}
 * customer or null); the user's selections mirror {@link SqliteSystemOfRecord#deleteUser}: what a
 * deletion would remove is what an export of that user holds.
 */
final class SqliteInstanceArchive implements InstanceArchive {
  /** Columns that are positions in this file only (see {@link InstanceArchive}). */
  private static final Set<String> SURROGATES = Set.of("messages.seq", "memories.rowid", "memory_history.seq", "entity_merges.merge_id");
  /** Tables that are not an instance's data: migrations bookkeeping and the full-text index (derived). */
  static final Set<String> NOT_EXPORTED = Set.of("schema_version", "sqlite_sequence");

  private record Plan(String table, String order, String instanceWhere, String userWhere) {}

  private static final String OWNER = "instance_id = ?1 AND user_id = ?2 AND (?3 IS NULL OR customer_id = ?3)";
  /** Conversations the user owns, and the turns in them no user id holds (an assistant's replies). */
  private static final String USER_ROWS = "(" + OWNER + " OR (instance_id = ?1 AND user_id IS NULL AND conversation_id IN "
      + "(SELECT conversation_id FROM conversations WHERE " + OWNER + ")))";
  private static final String SPOKEN_IN = "(SELECT conversation_id FROM messages WHERE " + OWNER
      + " UNION SELECT conversation_id FROM conversations WHERE " + OWNER + ")";
  private static final String USER_MEMORIES = "(SELECT memory_id FROM memories WHERE " + USER_ROWS + ")";
  /** Entities the user's memories name (entity_ids holds every one a memory mentions). */
  private static final String USER_ENTITIES = "(SELECT j.value FROM memories m, json_each(m.attributes_json, '$.entity_ids') j "
      + "WHERE m.memory_id IN " + USER_MEMORIES + ")";

  private static final List<Plan> PLANS = List.of(
      new Plan("clients", "client_id", "client_id IN (SELECT client_id FROM instances WHERE instance_id = ?1)", null),
      new Plan("instances", "instance_id", "instance_id = ?1", null),
      new Plan("api_keys", "created_at, key_id", "instance_id = ?1", null),
      new Plan("conversations", "created_at, conversation_id", "instance_id = ?1", OWNER),
      new Plan("ingestions", "queued_at, ingestion_id", "instance_id = ?1", OWNER),
      new Plan("messages", "seq", "instance_id = ?1", USER_ROWS),
      new Plan("entities", "created_at, entity_id", "instance_id = ?1",
          "instance_id = ?1 AND (entity_id IN " + USER_ENTITIES + " OR merged_into IN " + USER_ENTITIES + ")"),
      new Plan("entity_aliases", "created_at, alias_norm", "instance_id = ?1", "instance_id = ?1 AND entity_id IN " + USER_ENTITIES),
      new Plan("entity_merges", "merge_id", "instance_id = ?1", "instance_id = ?1 AND into_entity_id IN " + USER_ENTITIES),
      new Plan("memories", "rowid", "instance_id = ?1", USER_ROWS),
      new Plan("memory_history", "seq", "instance_id = ?1", "instance_id = ?1 AND memory_id IN " + USER_MEMORIES),
      new Plan("compactions", "initiated_at, compaction_id", "instance_id = ?1", "instance_id = ?1 AND conversation_id IN " + SPOKEN_IN));

  private final SqliteDatabase db;

  SqliteInstanceArchive(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public List<String> tables() {
    return PLANS.stream().map(Plan::table).toList();
  }

  @Override
  public void export(Selection selection, Consumer<Row> sink) {
    db.read(c -> {
      // One read transaction: every table from the same snapshot while the server keeps writing.
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        for (Plan p : PLANS) {
          String where = selection.wholeInstance() ? p.instanceWhere() : p.userWhere();
          if (where == null) continue;
          try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + p.table() + " WHERE " + where + " ORDER BY " + p.order())) {
            ps.setString(1, selection.instanceId());
            if (where.contains("?2")) ps.setString(2, selection.userId());
            if (where.contains("?3")) ps.setString(3, selection.customerId());
            try (ResultSet rs = ps.executeQuery()) {
              ResultSetMetaData md = rs.getMetaData();
              while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                  String column = md.getColumnName(i);
                  if (SURROGATES.contains(p.table() + "." + column)) continue;
                  row.put(column, plain(rs.getObject(i)));
                }
                sink.accept(new Row(p.table(), row));
              }
            }
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(auto);
      }
      return null;
    });
  }

  private static Object plain(Object v) {
    if (v instanceof Integer i) return i.longValue();
    if (v instanceof Float f) return f.doubleValue();
    return v;
  }

  @Override
  public Map<String, Integer> importRows(Iterator<Row> rows) {
    Set<String> known = Set.copyOf(tables());
    // Read before the write: the writer may run the unit again after rolling back a round.
    List<Row> all = new ArrayList<>();
    rows.forEachRemaining(all::add);
    return db.write(c -> {
      Map<String, Integer> counts = new LinkedHashMap<>();
      Map<String, PreparedStatement> statements = new LinkedHashMap<>();
      try {
        for (Row r : all) {
          if (!known.contains(r.table())) throw new IllegalArgumentException("unknown table " + r.table());
          List<String> columns = new ArrayList<>(r.columns().keySet());
          for (String col : columns) {
            if (!col.matches("[a-z_]+")) throw new IllegalArgumentException("bad column name " + col + " in " + r.table());
          }
          String sql = "INSERT INTO " + r.table() + " (" + String.join(", ", columns) + ") VALUES ("
              + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")"
              + (r.table().equals("entity_aliases") ? " ON CONFLICT DO NOTHING" : "");
          PreparedStatement ps = statements.get(sql);
          if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
          }
          for (int i = 0; i < columns.size(); i++) ps.setObject(i + 1, r.columns().get(columns.get(i)));
          counts.merge(r.table(), ps.executeUpdate(), Integer::sum);
        }
      } finally {
        for (PreparedStatement ps : statements.values()) ps.close();
      }
      return Map.copyOf(counts);
    });
  }

  @Override
  public List<String> schemaTables() {
    return db.read(c -> {
      List<String> out = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'memories_fts%' ORDER BY name")) {
        while (rs.next()) if (!NOT_EXPORTED.contains(rs.getString(1))) out.add(rs.getString(1));
      }
      return out;
    });
  }
}
