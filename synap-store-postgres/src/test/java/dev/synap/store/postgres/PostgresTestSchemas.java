package dev.synap.store.postgres;

import dev.synap.core.store.StoreSettings;
import java.nio.file.Path;

/** A fresh schema's settings for tests of other packages (TestDatabase stays package-private). */
public final class PostgresTestSchemas {
  private PostgresTestSchemas() {}

  public static StoreSettings fresh(Path dataDir) {
    return TestDatabase.settings(TestDatabase.freshSchema(), dataDir);
  }
}
