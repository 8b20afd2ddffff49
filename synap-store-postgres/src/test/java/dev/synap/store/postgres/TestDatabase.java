package dev.synap.store.postgres;

import dev.synap.core.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the tests run on: {@code SYNAP_TEST_POSTGRES_URL} (or the system property {@code
 * synap.test.postgres.url}), user and password in the URL. Each caller gets a schema of its own,
 * so test classes never see each other's rows. Without a URL the tests are skipped, and the
 * first skip prints one line saying how to get a database.
 */
final class TestDatabase {
  private static volatile boolean told;

  private TestDatabase() {}

  static String baseUrl() {
    String url = System.getProperty("synap.test.postgres.url");
    if (url == null || url.isBlank()) url = System.getenv("SYNAP_TEST_POSTGRES_URL");
    if (url == null || url.isBlank()) {
      if (!told) {
        told = true;
        System.out.println("PostgreSQL suite skipped: it needs a database in SYNAP_TEST_POSTGRES_URL; start a throw-away one with "
            + "eval \"$(.ci/postgres start)\"");
      }
      Assumptions.abort("SYNAP_TEST_POSTGRES_URL is not set");
    }
    return url;
  }

  /** Creates an empty schema and returns a URL whose connections work in it. */
  static String freshSchema() {
    String base = baseUrl();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a schema in " + base + ": " + e.getMessage(), e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  static StoreSettings settings(String url, Path dataDir) {
    return new StoreSettings(dataDir, url, null, null, 4);
  }
}
