package dev.synap.core.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Versioned schema migrations from {@code db/migration/V<n>__<name>.sql}. Each runs once, in
 * order, inside its own transaction, and is recorded in {@code schema_version} with the SHA-256 of
 * its text. Add a file and a line to {@link #SCRIPTS}; never edit a script that has shipped.
 *
 * <p>Why checksums: a database whose schema was built by a script that has since changed is not
 * the schema this release expects, and running on it fails later in ways that are hard to trace.
 * So every start compares each applied version's recorded checksum with the script shipped now and
 * refuses to open the database, naming the version, when they differ. Databases created before
 * checksums were recorded have a null checksum; the first start fills it in from the shipped
 * script (trusting it once, as there is nothing older to compare with) and checks from then on.
 */
final class Migrations {
  static final List<String> SCRIPTS = List.of(
      "V1__init.sql", "V2__entities.sql", "V3__ingestions_and_history.sql", "V5__compactions.sql",
      "V6__deletion_leaves_no_trace.sql", "V7__extraction_attempts.sql",
      "V10__control_plane.sql", "V11__usage_rollups.sql",
      "V12__memory_configs.sql", "V13__webhooks.sql");

  private Migrations() {}

  static int apply(Connection c) throws SQLException, IOException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version "
          + "(version INTEGER PRIMARY KEY, script TEXT NOT NULL, applied_at INTEGER NOT NULL, checksum TEXT)");
      if (!hasChecksumColumn(c)) s.execute("ALTER TABLE schema_version ADD COLUMN checksum TEXT");
    }
    Map<Integer, String> known = new LinkedHashMap<>();
    for (String script : SCRIPTS) known.put(version(script), script);
    int current = verifyApplied(c, known);
    int applied = 0;
    for (String script : SCRIPTS) {
      int version = version(script);
      if (version <= current) continue;
      String text = load(script);
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String sql : statements(text)) s.execute(sql);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version (version, script, applied_at, checksum) VALUES (?, ?, ?, ?)")) {
          ps.setInt(1, version);
          ps.setString(2, script);
          ps.setLong(3, System.currentTimeMillis());
          ps.setString(4, sha256(text));
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

  /**
   * Checks every applied version against the shipped script (backfilling missing checksums) and
   * returns the highest applied version.
   */
  private static int verifyApplied(Connection c, Map<Integer, String> known) throws SQLException, IOException {
    int current = 0;
    List<Integer> backfill = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, script, checksum FROM schema_version ORDER BY version")) {
      while (rs.next()) {
        int version = rs.getInt(1);
        current = Math.max(current, version);
        String script = known.get(version);
        if (script == null) {
          throw new SQLException("migration " + version + " (" + rs.getString(2) + ") is applied to this database but unknown to this "
              + "release: the database was written by a newer release; start that release or restore a backup");
        }
        String recorded = rs.getString(3);
        if (recorded == null) {
          backfill.add(version);
        } else if (!recorded.equals(checksum(script))) {
          throw new SQLException("migration " + version + " (" + script + ") changed since it was applied to this database (recorded "
              + "checksum " + recorded + ", shipped script " + checksum(script) + "); a shipped migration must never be edited: "
              + "restore the original script or add a new migration");
        }
      }
    }
    if (!backfill.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE schema_version SET checksum = ? WHERE version = ? AND checksum IS NULL")) {
        for (int version : backfill) {
          ps.setString(1, checksum(known.get(version)));
          ps.setInt(2, version);
          ps.executeUpdate();
        }
      }
    }
    return current;
  }

  private static boolean hasChecksumColumn(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(schema_version)")) {
      while (rs.next()) if ("checksum".equalsIgnoreCase(rs.getString("name"))) return true;
    }
    return false;
  }

  static int version(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  /**
   * SHA-256 (hex) of the script's text as shipped, line endings normalised to {@code \n} so a
   * checkout that converted them (Windows) does not look like an edited script.
   */
  static String checksum(String script) throws IOException {
    return sha256(load(script));
  }

  private static String sha256(String text) {
    try {
      byte[] bytes = text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
      // Locale.ROOT: under a Turkish default locale "trigger" would upper-case to "TRİGGER".
      if (t.toUpperCase(Locale.ROOT).startsWith("CREATE TRIGGER")) inTrigger = true;
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
