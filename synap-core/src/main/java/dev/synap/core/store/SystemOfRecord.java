package dev.synap.core.store;

/**
 * The narrow storage seam of the engine (think Lucene's codec SPI): everything durable goes
 * through these interfaces. The embedded default is SQLite in WAL mode; a PostgreSQL
 * implementation for several server nodes plugs in here without touching ingestion or retrieval.
 */
public interface SystemOfRecord extends AutoCloseable {
  TenantStore tenants();

  MessageStore messages();

  MemoryStore memories();

  CompactionStore compactions();

  /** How much a user deletion removed. */
  record Deleted(int memories, int messages, int conversations) {}

  /**
   * Removes every memory, raw message and conversation of one user, in one transaction. The
   * user's memory history keeps only "deleted" markers, without content.
   */
  Deleted deleteUser(String instanceId, String customerId, String userId);
  EntityStore entities();

  @Override
  void close();
}
