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

  private TableDump() {}

  static Map<String, List<String>> of(Path dataDir) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    Map<String, List<String>> out = new TreeMap<>();
    try (Connection c = config.createConnection("jdbc:sqlite:" + dataDir.resolve(SqliteSystemOfRecord.FILE_NAME)); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'memories_fts%' "
          + "AND name NOT IN ('schema_version', 'sqlite_sequence')")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String t : tables) {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + t)) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            Map<String, Object> row = new TreeMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              if (!SURROGATES.contains(t + "." + md.getColumnName(i))) row.put(md.getColumnName(i), rs.getObject(i));
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
