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

  EntityStore entities();

  @Override
  void close();
}
