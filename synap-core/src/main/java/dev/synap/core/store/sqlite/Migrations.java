package dev.synap.core.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations from {@code db/migration/V<n>__<name>.sql}. Each runs once, in
 * order, inside its own transaction, and is recorded in {@code schema_version}. Add a file and a
 * line to {@link #SCRIPTS}; never edit a script that has shipped.
 */
final class Migrations {
  static final List<String> SCRIPTS = List.of(
      "V1__init.sql", "V2__entities.sql", "V3__ingestions_and_history.sql", "V5__compactions.sql",
      "V6__deletion_leaves_no_trace.sql");

  private Migrations() {}

  static int apply(Connection c) throws SQLException, IOException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    }
    int current = 0;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      if (rs.next()) current = rs.getInt(1);
    }
    int applied = 0;
    for (String script : SCRIPTS) {
      int version = Integer.parseInt(script.substring(1, script.indexOf("__")));
      if (version <= current) continue;
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String sql : statements(load(script))) s.execute(sql);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version VALUES (?, ?, ?)")) {
          ps.setInt(1, version);
          ps.setString(2, script);
          ps.setLong(3, System.currentTimeMillis());
          ps.executeUpdate();
        }
        c.commit();
        applied++;
      } catch (SQLException e) {
        c.rollback();
        throw new SQLException("migration " + script + " failed: " + e.getMessage(), e);
      } finally {
        c.setAutoCommit(true);
      }
    }
    return applied;
  }

  private static String load(String script) throws IOException {
    try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + script)) {
      if (in == null) throw new IOException("missing migration " + script);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Splits on statement-ending semicolons, keeping trigger bodies (BEGIN ... END;) whole. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inTrigger = false;
    for (String line : sql.split("\n")) {
      String t = line.strip();
      if (t.startsWith("--") || t.isEmpty()) continue;
      if (t.toUpperCase().startsWith("CREATE TRIGGER")) inTrigger = true;
      current.append(line).append('\n');
      boolean ends = inTrigger ? t.equalsIgnoreCase("END;") : t.endsWith(";");
      if (ends) {
        out.add(current.toString().strip());
        current.setLength(0);
        inTrigger = false;
      }
    }
    if (!current.toString().isBlank()) out.add(current.toString().strip());
    return out;
  }
}
