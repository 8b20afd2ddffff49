package dev.synap.store.postgres;

import dev.synap.core.store.BaseSystemOfRecordTestCase;
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

/** The storage contract on PostgreSQL, opened through {@link Stores} by URL as the server does; a fresh schema per test. */
class PostgresSystemOfRecordTest extends BaseSystemOfRecordTestCase {
  @TempDir Path dir;
  private String url;

  @Override
  protected SystemOfRecord openFresh() {
    url = TestDatabase.freshSchema();
    return Stores.open(TestDatabase.settings(url, dir));
  }

  @Override
  protected SystemOfRecord reopen() {
    return Stores.open(TestDatabase.settings(url, dir));
  }

  @Override
  protected void execute(String sql) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected List<String> column(String sql) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) out.add(rs.getString(1));
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
