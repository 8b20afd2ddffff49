package dev.synap.bench.load;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Counts the rows of the messages table through a read-only connection to a data folder's synap.db. */
final class StoredMessages {
  private StoredMessages() {}

  static long count(Path dataDir) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = config.createConnection("jdbc:sqlite:" + dataDir.resolve("synap.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM messages")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count messages in " + dataDir + ": " + e.getMessage(), e);
    }
  }
}
