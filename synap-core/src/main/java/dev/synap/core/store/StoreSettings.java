package dev.synap.core.store;

import java.nio.file.Path;

/**
 * Where the system of record lives. A blank {@code url} means the embedded SQLite file in {@code
 * dataDir}; otherwise the URL's scheme picks a {@link StoreProvider} ({@code jdbc:postgresql://...}).
 *
 * @param dataDir the node's data folder (the embedded database, and per-node derived state such as
 *     search indexes, whatever the store)
 * @param poolSize connections a networked store may hold open at once
 */
public record StoreSettings(Path dataDir, String url, String user, String password, int poolSize) {
  public static final int DEFAULT_POOL_SIZE = 10;

  public StoreSettings {
    if (poolSize <= 0) throw new IllegalArgumentException("store.pool_size must be positive");
  }

  /** The embedded default: SQLite in {@code dataDir}. */
  public static StoreSettings embedded(Path dataDir) {
    return new StoreSettings(dataDir, null, null, null, DEFAULT_POOL_SIZE);
  }

  public boolean isEmbedded() {
    return url == null || url.isBlank();
  }

  /** Never prints the password, not even one written into the URL. */
  @Override
  public String toString() {
    return isEmbedded() ? "sqlite:" + dataDir : url.replaceAll("(?i)(password=)[^&;]*", "$1***") + (user == null ? "" : " as " + user);
  }
}
