package dev.synap.core.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * Online backup and restore of the embedded store's file.
 *
 * <p>A backup is {@code VACUUM INTO} on a connection of its own: it reads one snapshot of the
 * database (WAL mode lets the running server keep committing meanwhile; it waits for no writer and
 * blocks none) and writes a compact, self-contained copy, with no WAL beside it. Copying the file
 * with {@code cp} instead could catch the main file and the WAL at different moments.
 */
public final class SqliteBackup {
  private SqliteBackup() {}

  /** What a backup or restore holds. */
  public record Summary(long bytes, long messages, long memories, long instances) {}

  /** Writes a consistent copy of {@code dataDir}'s store to {@code target}, which must not exist. */
  public static Summary backup(Path dataDir, Path target) {
    Path db = dataDir.resolve(SqliteSystemOfRecord.FILE_NAME);
    if (!Files.isRegularFile(db)) throw new StorageException("no store in " + dataDir + " (" + db + " does not exist)", null);
    if (Files.exists(target)) throw new StorageException(target + " exists already; choose a new file", null);
    try {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      SQLiteConfig config = new SQLiteConfig();
      config.setBusyTimeout(30_000);
      try (Connection c = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
          PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
        ps.setString(1, target.toAbsolutePath().toString());
        ps.execute();
      }
      return verify(target);
    } catch (SQLException | IOException e) {
      throw new StorageException("backup of " + dataDir + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code file} is an intact store (SQLite integrity check, the migrations table
   * present) and counts what it holds; refuses anything else before a restore replaces data.
   */
  public static Summary verify(Path file) {
    if (!Files.isRegularFile(file)) throw new StorageException(file + " does not exist", null);
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath()); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
        String result = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(result)) throw new StorageException(file + " is damaged: " + result, null);
      }
      return new Summary(Files.size(file), count(s, "messages"), count(s, "memories"), count(s, "instances"));
    } catch (SQLException | IOException e) {
      throw new StorageException(file + " is not a Synap store: " + e.getMessage(), e);
    }
  }

  private static long count(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Puts a verified backup in place as {@code dataDir}'s store. The store it replaces is kept
   * beside it as {@code synap.db.before-restore-<millis>} (with its WAL, so nothing is lost by a
   * mistaken restore). The caller must make sure no server runs on the folder and must rebuild the
   * search index, which describes the replaced store.
   */
  public static Summary restore(Path backup, Path dataDir) {
    Summary s = verify(backup);
    try {
      Files.createDirectories(dataDir);
      Path db = dataDir.resolve(SqliteSystemOfRecord.FILE_NAME);
      String aside = ".before-restore-" + System.currentTimeMillis();
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Path f = dataDir.resolve(SqliteSystemOfRecord.FILE_NAME + suffix);
        if (Files.exists(f)) Files.move(f, dataDir.resolve(SqliteSystemOfRecord.FILE_NAME + aside + suffix));
      }
      Path partial = dataDir.resolve(SqliteSystemOfRecord.FILE_NAME + ".restoring");
      Files.copy(backup, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (var ch = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(partial, db, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return s;
    } catch (IOException e) {
      throw new StorageException("restore into " + dataDir + " failed: " + e.getMessage(), e);
    }
  }
}
