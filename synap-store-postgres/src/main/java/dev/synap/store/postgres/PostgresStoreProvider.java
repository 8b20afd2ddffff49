package dev.synap.store.postgres;

import dev.synap.core.store.StoreProvider;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.SystemOfRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Serves {@code jdbc:postgresql://} URLs (found through {@link java.util.ServiceLoader}). */
public final class PostgresStoreProvider implements StoreProvider {
  static final String SCHEME = "jdbc:postgresql:";

  @Override
  public boolean accepts(StoreSettings settings) {
    return !settings.isEmbedded() && settings.url().startsWith(SCHEME);
  }

  @Override
  public SystemOfRecord open(StoreSettings settings) {
    return new PostgresSystemOfRecord(settings);
  }

  @Override
  public Migration migrate(StoreSettings settings) {
    try (PostgresSystemOfRecord store = new PostgresSystemOfRecord(settings)) {
      return new Migration(store.migratedAtOpen(), store.migrate().versions());
    }
  }

  @Override
  public long countMessages(StoreSettings settings) {
    // One plain connection, no pool and no migration: benches poll this while a server writes.
    Properties credentials = new Properties();
    if (settings.user() != null) credentials.setProperty("user", settings.user());
    if (settings.password() != null) credentials.setProperty("password", settings.password());
    try (Connection c = DriverManager.getConnection(settings.url(), credentials);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM messages")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw PgDatabase.translate(e);
    }
  }
}
