package dev.synap.core.store.sqlite;

import dev.synap.core.store.BaseSystemOfRecordTestCase;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.Stores;
import dev.synap.core.store.SystemOfRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on the embedded store, opened the way the server opens it (no URL). */
class SqliteSystemOfRecordTest extends BaseSystemOfRecordTestCase {
  @TempDir Path dir;

  @Override
  protected SystemOfRecord openFresh() {
    return Stores.open(StoreSettings.embedded(dir));
  }

  @Override
  protected SystemOfRecord reopen() {
    return Stores.open(StoreSettings.embedded(dir));
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteSystemOfRecord.FILE_NAME));
  }

  @Override
  protected void execute(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected List<String> column(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) out.add(rs.getString(1));
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
