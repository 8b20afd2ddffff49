package dev.synap.core.store.jdbc;

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
 * Versioned, checksummed schema migrations for every SQL store: scripts {@code V<n>__<name>.sql}
 * in one resource folder per dialect (same version numbers in each), each run once, in order, in
 * its own transaction, and recorded in {@code schema_version} with the SHA-256 of its text.
 *
 * <p>Why our own runner rather than Flyway: it is 200 lines we already ship and test, it keeps the
 * {@code schema_version} table every existing data folder has (Flyway would need a baseline step
 * and a second history table, with CRC32 checksums instead of SHA-256), and the two things a
 * multi-node start needs are small: a checksum check that refuses a changed script, and a
 * database lock ({@link Dialect#lockSql}, {@code pg_advisory_lock} on PostgreSQL) held while one
 * node migrates, so nodes starting together migrate once and the others then find nothing to do.
 *
 * <p>Why checksums: a database whose schema was built by a script that has since changed is not
 * the schema this release expects, and running on it fails later in ways that are hard to trace.
 * So every start compares each applied version's recorded checksum with the script shipped now and
 * refuses to open the database, naming the version, when they differ. Databases created before
 * checksums were recorded have a null checksum; the first start fills it in from the shipped
 * script (trusting it once, as there is nothing older to compare with) and checks from then on.
 */
public final class SchemaMigrations {

  /**
   * What differs between databases.
   *
   * @param folder the resource folder holding the scripts, e.g. {@code /db/migration/}
   * @param lockSql run before anything else and held until {@link #unlockSql}: serialises nodes
   *     that start together (null for an embedded database, which one process opens)
   * @param legacyTable whether a {@code schema_version} table without the checksum column may exist
   */
  public record Dialect(String folder, String lockSql, String unlockSql, boolean legacyTable) {}

  private final Class<?> anchor;
  private final List<String> scripts;
  private final Dialect dialect;

  /** @param anchor a class beside the scripts (its class loader finds them) */
  public SchemaMigrations(Class<?> anchor, List<String> scripts, Dialect dialect) {
    this.anchor = anchor;
    this.scripts = List.copyOf(scripts);
    this.dialect = dialect;
  }

  /** Applies what is pending; returns the versions applied now (empty when the schema was current). */
  public List<Integer> apply(Connection c) throws SQLException, IOException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(true);
    if (dialect.lockSql() != null) {
      try (Statement s = c.createStatement()) {
        s.execute(dialect.lockSql());
      }
    }
    try {
      return applyLocked(c);
    } finally {
      c.setAutoCommit(true);
      if (dialect.unlockSql() != null) {
        try (Statement s = c.createStatement()) {
          s.execute(dialect.unlockSql());
        }
      }
      c.setAutoCommit(autoCommit);
    }
  }

  /** The versions recorded in {@code schema_version}, in order. */
  public List<Integer> applied(Connection c) throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
      while (rs.next()) out.add(rs.getInt(1));
    }
    return out;
  }

  private List<Integer> applyLocked(Connection c) throws SQLException, IOException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version "
          + "(version INTEGER PRIMARY KEY, script TEXT NOT NULL, applied_at BIGINT NOT NULL, checksum TEXT)");
      if (dialect.legacyTable() && !hasChecksumColumn(c)) s.execute("ALTER TABLE schema_version ADD COLUMN checksum TEXT");
    }
    Map<Integer, String> known = new LinkedHashMap<>();
    for (String script : scripts) known.put(version(script), script);
    int current = verifyApplied(c, known);
    List<Integer> applied = new ArrayList<>();
    for (String script : scripts) {
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
        applied.add(version);
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
  private int verifyApplied(Connection c, Map<Integer, String> known) throws SQLException, IOException {
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
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT checksum FROM schema_version WHERE 1 = 0").close();
      return true;
    } catch (SQLException noSuchColumn) {
      return false;
    }
  }

  public static int version(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  /**
   * SHA-256 (hex) of the script's text as shipped, line endings normalised to {@code \n} so a
   * checkout that converted them (Windows) does not look like an edited script.
   */
  public String checksum(String script) throws IOException {
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

  private String load(String script) throws IOException {
    try (InputStream in = anchor.getResourceAsStream(dialect.folder() + script)) {
      if (in == null) throw new IOException("missing migration " + dialect.folder() + script);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Splits on statement-ending semicolons, keeping trigger bodies (BEGIN ... END;) whole. */
  public static List<String> statements(String sql) {
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
