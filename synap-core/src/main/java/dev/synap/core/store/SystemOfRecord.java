package dev.synap.core.store;

/**
 * The narrow storage seam of the engine (think Lucene's codec SPI): everything durable goes
 * through these three interfaces. The embedded default is SQLite in WAL mode; a PostgreSQL
 * implementation for several server nodes plugs in here without touching ingestion or retrieval.
 */
public interface SystemOfRecord extends AutoCloseable {
  TenantStore tenants();

  MessageStore messages();

  MemoryStore memories();

  @Override
  void close();
}
