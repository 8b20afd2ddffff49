package dev.synap.store.postgres;

import dev.synap.core.store.StoreProvider;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.SystemOfRecord;

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
    try (PostgresSystemOfRecord store = new PostgresSystemOfRecord(settings)) {
      return store.countMessages();
    }
  }
}
