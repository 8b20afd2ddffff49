package dev.synap.cli;

import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sqlite.SQLiteConfig;

/**
 * Every row of every table of a data folder's store, read with plain JDBC (not through the code
 * under test), sorted, without the columns that are positions in one file only.
 */
final class TableDump {
  static final Set<String> SURROGATES = Set.of("messages.seq", "memories.rowid", "memory_history.seq", "entity_merges.merge_id");
  /** JSON documents compare by content: PostgreSQL's jsonb, for one, keeps keys in another order. */
  static final Set<String> JSON = Set.of("messages.metadata_json", "memories.attributes_json", "memories.source_message_ids",
      "compactions.current_state_json", "compactions.key_extractions_json", "conversation_details.analysis_json");
  private static final com.fasterxml.jackson.databind.ObjectMapper SORTED = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();

  private TableDump() {}

  static Map<String, List<String>> of(Path dataDir) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    Map<String, List<String>> out = new TreeMap<>();
    try (Connection c = config.createConnection("jdbc:sqlite:" + dataDir.resolve(SqliteSystemOfRecord.FILE_NAME)); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      // What an export moves: every table but bookkeeping and what the export leaves out by design (derived vectors, node
      // heartbeats, the control plane's deployment rows: JdbcInstanceArchive.EXPORT_LEAVES_OUT).
      try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'memories_fts%' "
          + "AND name NOT IN ('schema_version', 'sqlite_sequence', " + dev.synap.core.store.jdbc.JdbcInstanceArchive.EXPORT_LEAVES_OUT + ")")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String t : tables) {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + t)) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            Map<String, Object> row = new TreeMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              String column = t + "." + md.getColumnName(i);
              if (SURROGATES.contains(column)) continue;
              Object v = rs.getObject(i);
              if (v instanceof byte[] bytes) v = java.util.HexFormat.of().formatHex(bytes); // by content, not identity
              row.put(md.getColumnName(i), JSON.contains(column) && v != null ? SORTED.writeValueAsString(SORTED.readValue(v.toString(), Object.class)) : v);
            }
            rows.add(row.toString());
          }
        }
        rows.sort(null);
        out.put(t, rows);
      }
    }
    return out;
  }
}
