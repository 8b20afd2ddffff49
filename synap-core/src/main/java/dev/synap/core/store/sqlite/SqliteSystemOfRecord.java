package dev.synap.core.store.sqlite;

import dev.synap.core.store.EntityStore;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.TenantStore;
import java.nio.file.Path;

/** The embedded default system of record: one SQLite file ({@code synap.db}) in the data folder. */
public final class SqliteSystemOfRecord implements SystemOfRecord {
  private final SqliteDatabase db;
  private final SqliteTenantStore tenants;
  private final SqliteMessageStore messages;
  private final SqliteMemoryStore memories;
  private final SqliteEntityStore entities;

  public SqliteSystemOfRecord(Path dataDir) {
    this.db = new SqliteDatabase(dataDir.resolve("synap.db"), 4);
    this.tenants = new SqliteTenantStore(db);
    this.memories = new SqliteMemoryStore(db);
    this.messages = new SqliteMessageStore(db, memories);
    this.entities = new SqliteEntityStore(db);
  }

  @Override
  public TenantStore tenants() {
    return tenants;
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public MemoryStore memories() {
    return memories;
  }

  @Override
  public EntityStore entities() {
    return entities;
  }

  @Override
  public void close() {
    db.close();
  }
}
