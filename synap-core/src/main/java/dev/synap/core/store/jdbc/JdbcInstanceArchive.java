package dev.synap.core.store.jdbc;

import dev.synap.core.store.InstanceArchive;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link InstanceArchive} over the tables both stores share (same names, same columns). Each table
 * has one selection per kind of export; the user's mirror {@code SystemOfRecord.deleteUser}: what
 * a deletion of that user would remove is what an export of that user holds. The few differences
 * between the stores are a {@link Dialect}: how to list the entity ids inside a memory's JSON, which
 * columns are JSON documents, how to list the schema's tables.
 *
 * <p>JSON columns travel as JSON values, not as text: the stores keep them differently (SQLite the
 * text as written, PostgreSQL {@code jsonb}, which reorders keys), so a file from either imports
 * into either and compares equal by content.
 */
public final class JdbcInstanceArchive implements InstanceArchive {

  /**
   * @param entityIdsOfMemory SQL selecting {@code value}: the entity ids in {@code attributes_json.entity_ids}
   *     of the memories selected by the subquery {@code %s} (a {@code memory_id IN (...)} condition on {@code m})
   * @param jsonColumns table.column of every JSON document column (exported as JSON values)
   * @param jsonbColumns those the store types as {@code jsonb} (inserted with a cast)
   * @param derivedColumns table.column of columns the store computes itself (a generated full-text vector), never exported
   * @param schemaTables SQL listing the schema's table names
   */
  public record Dialect(String entityIdsOfMemory, Set<String> jsonColumns, Set<String> jsonbColumns, Set<String> derivedColumns, String schemaTables) {}

  /** Columns that are positions in one store only (see {@link InstanceArchive}). */
  public static final Set<String> SURROGATES = Set.of("messages.seq", "memories.rowid", "memory_history.seq", "entity_merges.merge_id");
  /** JSON document columns of the shared schema. */
  public static final Set<String> JSON_COLUMNS = Set.of("messages.metadata_json", "memories.attributes_json", "memories.source_message_ids",
      "compactions.current_state_json", "compactions.key_extractions_json", "conversation_details.analysis_json");

  /**
   * Tables an export leaves out, as an SQL list. Derived: {@code memory_vectors} (the index rebuild
   * after an import stores them again). Node bookkeeping: {@code node_heartbeats}. The control
   * plane's rows that describe a deployment rather than an instance: admin keys, the audit log and
   * usage roll-ups stay where they were made, and so does the webhook delivery log: its pending
   * retries belong to the server that queued them (moved, they would be sent a second time, from
   * another server, with payload ids an import into another instance has renamed). An instance's
   * memory configuration versions and its webhooks do move.
   */
  public static final String EXPORT_LEAVES_OUT = "'memory_vectors', 'node_heartbeats', 'admin_keys', 'audit_log', 'usage_rollups', "
      + "'webhook_deliveries'";

  private record Plan(String table, String order, String instanceWhere, String userWhere) {}

  private static final String OWNER = "instance_id = ?1 AND user_id = ?2 AND (CAST(?3 AS TEXT) IS NULL OR customer_id = ?3)";
  /** The user's rows, and in conversations the user owns the rows no user id holds (an assistant's replies). */
  private static final String USER_ROWS = "(" + OWNER + " OR (instance_id = ?1 AND user_id IS NULL AND conversation_id IN "
      + "(SELECT conversation_id FROM conversations WHERE " + OWNER + ")))";
  private static final String SPOKEN_IN = "(SELECT conversation_id FROM messages WHERE " + OWNER
      + " UNION SELECT conversation_id FROM conversations WHERE " + OWNER + ")";
  private static final String USER_MEMORIES = "(SELECT memory_id FROM memories WHERE " + USER_ROWS + ")";

  /** Reads on a snapshot; an import's writes in one transaction of their own. */
  private final JdbcAccess db;
  private final Dialect dialect;
  private final List<Plan> plans;

  public JdbcInstanceArchive(JdbcAccess db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
    String userEntities = "(" + dialect.entityIdsOfMemory().formatted("m.memory_id IN " + USER_MEMORIES) + ")";
    this.plans = List.of(
        new Plan("clients", "client_id", "client_id IN (SELECT client_id FROM instances WHERE instance_id = ?1)", null),
        new Plan("instances", "instance_id", "instance_id = ?1", null),
        new Plan("api_keys", "created_at, key_id", "instance_id = ?1", null),
        new Plan("conversations", "created_at, conversation_id", "instance_id = ?1", OWNER),
        new Plan("conversation_details", "conversation_id", "instance_id = ?1",
            "instance_id = ?1 AND conversation_id IN (SELECT conversation_id FROM conversations WHERE " + OWNER + ")"),
        new Plan("ingestions", "queued_at, ingestion_id", "instance_id = ?1", OWNER),
        new Plan("messages", "seq", "instance_id = ?1", USER_ROWS),
        new Plan("entities", "created_at, entity_id", "instance_id = ?1",
            "instance_id = ?1 AND (entity_id IN " + userEntities + " OR merged_into IN " + userEntities + ")"),
        new Plan("entity_aliases", "created_at, alias_norm", "instance_id = ?1", "instance_id = ?1 AND entity_id IN " + userEntities),
        new Plan("entity_merges", "merge_id", "instance_id = ?1", "instance_id = ?1 AND into_entity_id IN " + userEntities),
        new Plan("memories", "rowid", "instance_id = ?1", USER_ROWS),
        new Plan("entity_relations", "created_at, relation_id", "instance_id = ?1", "instance_id = ?1 AND memory_id IN " + USER_MEMORIES),
        new Plan("memory_history", "seq", "instance_id = ?1", "instance_id = ?1 AND memory_id IN " + USER_MEMORIES),
        new Plan("compactions", "initiated_at, compaction_id", "instance_id = ?1", "instance_id = ?1 AND conversation_id IN " + SPOKEN_IN),
        // The instance's set-up, not a user's data: in instance exports only.
        new Plan("memory_configs", "version", "instance_id = ?1", null),
        new Plan("webhooks", "created_at, webhook_id", "instance_id = ?1", null));
  }

  @Override
  public List<String> tables() {
    return plans.stream().map(Plan::table).toList();
  }

  @Override
  public void export(Selection selection, Consumer<Row> sink) {
    db.read(c -> {
      // One read transaction: every table from the same snapshot while the server keeps writing.
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        for (Plan p : plans) {
          String where = selection.wholeInstance() ? p.instanceWhere() : p.userWhere();
          if (where == null) continue;
          List<String> args = new ArrayList<>();
          String sql = positional("SELECT * FROM " + p.table() + " WHERE " + where + " ORDER BY " + p.order(),
              List.of(selection.instanceId(), selection.userId() == null ? "" : selection.userId()), selection.customerId(), args);
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
            try (ResultSet rs = ps.executeQuery()) {
              ResultSetMetaData md = rs.getMetaData();
              while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                  String column = md.getColumnName(i).toLowerCase(java.util.Locale.ROOT);
                  String qualified = p.table() + "." + column;
                  if (SURROGATES.contains(qualified) || dialect.derivedColumns().contains(qualified)) continue;
                  row.put(column, dialect.jsonColumns().contains(qualified) ? json(rs.getString(i)) : plain(rs.getObject(i)));
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

  private static final Pattern NUMBERED = Pattern.compile("\\?([123])");

  /** Numbered parameters ({@code ?1}) as plain ones, which every driver takes; {@code args} gets the values in order. */
  private static String positional(String sql, List<String> first, String customer, List<String> args) {
    Matcher m = NUMBERED.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int n = Integer.parseInt(m.group(1));
      args.add(n == 3 ? customer : first.get(n - 1));
      m.appendReplacement(out, "?");
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Object plain(Object v) {
    if (v instanceof Integer i) return i.longValue();
    if (v instanceof Short s) return s.longValue();
    if (v instanceof Float f) return f.doubleValue();
    if (v instanceof java.math.BigDecimal d) return d.doubleValue();
    return v;
  }

  private static Object json(String text) {
    if (text == null) return null;
    try {
      return JSON.readValue(text, Object.class);
    } catch (java.io.IOException e) {
      return text; // not JSON after all: kept as written
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  @Override
  public Map<String, Integer> importRows(Iterator<Row> rows) {
    Set<String> known = Set.copyOf(tables());
    // Read before the write: a group commit may run the unit again after rolling back a round.
    List<Row> all = new ArrayList<>();
    rows.forEachRemaining(all::add);
    for (Row r : all) {
      if (!known.contains(r.table())) throw new IllegalArgumentException("unknown table " + r.table());
      for (String col : r.columns().keySet()) {
        if (!col.matches("[a-z_]+")) throw new IllegalArgumentException("bad column name " + col + " in " + r.table());
      }
    }
    return db.write(c -> {
      Map<String, Integer> counts = new LinkedHashMap<>();
      Map<String, PreparedStatement> statements = new LinkedHashMap<>();
      try {
        for (Row r : all) {
          List<String> columns = new ArrayList<>(r.columns().keySet());
          List<String> marks = new ArrayList<>();
          for (String col : columns) marks.add(dialect.jsonbColumns().contains(r.table() + "." + col) ? "CAST(? AS jsonb)" : "?");
          String sql = "INSERT INTO " + r.table() + " (" + String.join(", ", columns) + ") VALUES (" + String.join(", ", marks) + ")"
              // An alias names one entity per instance; one the target already knows stays as it is.
              + (r.table().equals("entity_aliases") ? " ON CONFLICT DO NOTHING" : "");
          PreparedStatement ps = statements.get(sql);
          if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
          }
          for (int i = 0; i < columns.size(); i++) {
            Object v = r.columns().get(columns.get(i));
            boolean isJson = dialect.jsonColumns().contains(r.table() + "." + columns.get(i));
            if (isJson && v != null) v = writeJson(v);
            ps.setObject(i + 1, v);
          }
          counts.merge(r.table(), ps.executeUpdate(), Integer::sum);
        }
      } finally {
        for (PreparedStatement ps : statements.values()) ps.close();
      }
      return counts;
    });
  }

  private static String writeJson(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  @Override
  public List<String> schemaTables() {
    return db.read(c -> {
      List<String> out = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(dialect.schemaTables())) {
        while (rs.next()) out.add(rs.getString(1));
      }
      Collections.sort(out);
      return out;
    });
  }
}
