package dev.synap.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.sqlite.SQLiteConfig;

/**
 * SHA-256 over the ordered rows of the messages and memories tables, read through a read-only
 * JDBC connection to the data folder's synap.db (WAL lets it read while the server writes).
 * Equal before and after a refused request means the request changed nothing stored.
 */
final class StoreChecksum {
  private StoreChecksum() {}

  static String of(Path dataDir) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = config.createConnection("jdbc:sqlite:" + dataDir.resolve(dev.synap.core.store.sqlite.SqliteSystemOfRecord.FILE_NAME))) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      digest(c, "SELECT * FROM messages ORDER BY seq", sha);
      digest(c, "SELECT * FROM memories ORDER BY rowid", sha);
      return HexFormat.of().formatHex(sha.digest());
    } catch (SQLException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot checksum the store: " + e.getMessage(), e);
    }
  }

  private static void digest(Connection c, String sql, MessageDigest sha) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          String v = rs.getString(i);
          sha.update((v == null ? "\u0000null" : v).getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0x1f);
        }
        sha.update((byte) 0x1e);
      }
    }
  }
}
