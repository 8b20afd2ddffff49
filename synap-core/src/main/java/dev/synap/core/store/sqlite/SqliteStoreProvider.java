package dev.synap.core.store.sqlite;

import dev.synap.core.store.StoreProvider;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.SystemOfRecord;
import java.util.List;

/** The embedded store: serves settings without a URL . */
public final class SqliteStoreProvider implements StoreProvider {
  @Override
  public boolean accepts(StoreSettings settings) {
    return settings.isEmbedded();
  }

  @Override
  public SystemOfRecord open(StoreSettings settings) {
    return new SqliteSystemOfRecord(settings.dataDir());
  }

  @Override
  public Migration migrate(StoreSettings settings) {
    // Opening migrates.
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(settings.dataDir())) {
      return new Migration(store.migratedAtOpen(), store.appliedMigrations());
    }
  }

  @Override
  public long countMessages(StoreSettings settings) {
    return SqliteSystemOfRecord.countMessages(settings.dataDir());
  }
}
