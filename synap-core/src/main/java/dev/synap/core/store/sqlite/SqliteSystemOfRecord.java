package dev.synap.core.store.sqlite;

import dev.synap.core.store.CompactionStore;
import dev.synap.core.store.ControlStore;
import dev.synap.core.store.EntityStore;
import dev.synap.core.store.InstanceArchive;
import dev.synap.core.store.MemoryConfigStore;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.TenantStore;
import dev.synap.core.store.UsageStore;
import dev.synap.core.store.WebhookStore;
import dev.synap.core.store.jdbc.JdbcAccess;
import dev.synap.core.store.jdbc.JdbcCompactionStore;
import dev.synap.core.store.jdbc.JdbcDeletion;
import dev.synap.core.store.jdbc.JdbcEntityStore;
import dev.synap.core.store.jdbc.JdbcMemoryReads;
import dev.synap.core.store.jdbc.JdbcMessageReads;
import dev.synap.core.store.jdbc.JdbcControlStore;
import dev.synap.core.store.jdbc.JdbcInstanceArchive;
import dev.synap.core.store.jdbc.JdbcMemoryConfigStore;
import dev.synap.core.store.jdbc.JdbcTenantStore;
import dev.synap.core.store.jdbc.JdbcUsageStore;
import dev.synap.core.store.jdbc.JdbcVectorStore;
import dev.synap.core.store.jdbc.JdbcWebhookStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/** The embedded default system of record: one SQLite file ({@code synap.db}) in the data folder. */
public final class SqliteSystemOfRecord implements SystemOfRecord {
  /** The database file inside a data folder. */
  public static final String FILE_NAME = "synap.db";
  private static final Logger LOG = LoggerFactory.getLogger(SqliteSystemOfRecord.class);
  private final SqliteDatabase db;
  private final JdbcTenantStore tenants;
  private final SqliteMessageStore messages;
  private final SqliteMemoryStore memories;
  private final JdbcEntityStore entities;
  private final dev.synap.core.store.jdbc.JdbcRelationStore relations;
  private final JdbcCompactionStore compactions;
  private final JdbcInstanceArchive archive;

  private static final JdbcInstanceArchive.Dialect ARCHIVE_DIALECT = new JdbcInstanceArchive.Dialect(
      "SELECT j.value FROM memories m, json_each(m.attributes_json, '$.entity_ids') j WHERE %s", JdbcInstanceArchive.JSON_COLUMNS, Set.of(), Set.of(),
      // Not exported: what is derived (the full-text index over memories; the stored vectors, which the index rebuild after an
      // import computes and stores again), bookkeeping (schema_version, sqlite_sequence, node_heartbeats) and the control
      // plane's rows, which belong to the deployment (EXPORT_LEAVES_OUT in JdbcInstanceArchive says why).
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'memories_fts%' AND name NOT IN ('schema_version', 'sqlite_sequence', "
          + JdbcInstanceArchive.EXPORT_LEAVES_OUT + ")");
  private final JdbcVectorStore vectors;
  private final JdbcControlStore control;
  private final JdbcUsageStore usage;
  private final JdbcMemoryConfigStore memoryConfigs;
  private final JdbcWebhookStore webhooks;
  private final JdbcDeletion deletion = new JdbcDeletion(JdbcDeletion.Dialect.SQLITE);

  /** One writer checks and inserts a start; jobs started in the same millisecond go by insertion order. */
  private static final JdbcCompactionStore.Dialect COMPACTION_DIALECT = new JdbcCompactionStore.Dialect("initiated_at DESC, rowid DESC", false);
  /** Foreign keys are checked at the commit, when all of an instance's rows are gone: the tables can go in any order. */
  private static final JdbcTenantStore.Dialect TENANT_DIALECT = new JdbcTenantStore.Dialect("PRAGMA defer_foreign_keys = ON",
      "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' AND m.name NOT LIKE 'sqlite_%' "
          + "AND m.name NOT IN ('instances', 'audit_log') AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'instance_id')");
  /** One writer runs one transaction at a time: a roll-up's read needs no lock. */
  private static final JdbcUsageStore.Dialect USAGE_DIALECT = new JdbcUsageStore.Dialect("", "INSERT OR REPLACE INTO", "");

  public SqliteSystemOfRecord(Path dataDir) {
    this.db = new SqliteDatabase(dataDir.resolve(FILE_NAME), 4);
    JdbcAccess access = new JdbcAccess() {
      @Override
      public <T> T read(JdbcAccess.Work<T> work) {
        return db.read(work::run);
      }

      @Override
      public <T> T write(JdbcAccess.Work<T> work) {
        return db.write(work::run);
      }

      @Override
      public <T> T writeInBackground(JdbcAccess.Work<T> work) {
        return db.writeInBackground(List.<SqliteDatabase.Work<T>>of(work::run)).getFirst();
      }
    };
    this.tenants = new JdbcTenantStore(access, TENANT_DIALECT);
    this.memories = new SqliteMemoryStore(db, new JdbcMemoryReads(access));
    this.messages = new SqliteMessageStore(db, new JdbcMessageReads(access), memories);
    this.relations = new dev.synap.core.store.jdbc.JdbcRelationStore(access);
    this.entities = new JdbcEntityStore(access, "group_concat(a.alias, char(31))");
    this.compactions = new JdbcCompactionStore(access, COMPACTION_DIALECT);
    this.archive = new JdbcInstanceArchive(access, ARCHIVE_DIALECT);
    this.vectors = new JdbcVectorStore(access);
    this.control = new JdbcControlStore(access, JdbcControlStore.GeneratedId.GENERATED_KEYS);
    this.usage = new JdbcUsageStore(access, USAGE_DIALECT);
    this.memoryConfigs = new JdbcMemoryConfigStore(access);
    this.webhooks = new JdbcWebhookStore(access);
  }

  /**
   * Rows in the messages table of a data folder, read through a read-only connection of its own:
   * usable while another process (a server under test or load) writes to it.
   */
  public static long countMessages(Path dataDir) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = config.createConnection("jdbc:sqlite:" + dataDir.resolve(FILE_NAME));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM messages")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StorageException("cannot count messages in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** The schema versions applied to this database, in order. */
  List<Integer> appliedMigrations() {
    return db.read(Migrations.RUNNER::applied);
  }

  /** The versions this open applied. */
  List<Integer> migratedAtOpen() {
    return db.migratedAtOpen();
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
  public CompactionStore compactions() {
    return compactions;
  }

  @Override
  public ControlStore control() {
    return control;
  }

  @Override
  public UsageStore usage() {
    return usage;
  }

  @Override
  public MemoryConfigStore memoryConfigs() {
    return memoryConfigs;
  }

  @Override
  public WebhookStore webhooks() {
    return webhooks;
  }

  @Override
  public Deleted deleteUser(String instanceId, String customerId, String userId) {
    return checkpointed("user", db.write(c -> deletion.user(c, instanceId, customerId, userId)));
  }

  @Override
  public Deleted deleteCustomer(String instanceId, String customerId) {
    return checkpointed("customer", db.write(c -> deletion.customer(c, instanceId, customerId)));
  }

  @Override
  public Deleted deleteConversation(String instanceId, String conversationId) {
    return checkpointed("conversation", db.write(c -> deletion.conversation(c, instanceId, conversationId)));
  }

  /**
   * secure_delete zeroed the rows in the pages the deletion wrote, but the WAL still holds earlier
   * images of those pages, and the database file too until a checkpoint copies the new ones over
   * them: checkpoint now and truncate the WAL.
   */
  private Deleted checkpointed(String what, Deleted d) {
    if (!db.checkpoint()) LOG.warn("{} deletion: readers kept the WAL checkpoint from completing; it completes at the next checkpoint", what);
    return d;
  }

  @Override
  public InstanceArchive archive() {
    return archive;
  }

  @Override
  public dev.synap.core.store.VectorStore vectors() {
    return vectors;
  }

  @Override
  public EntityStore entities() {
    return entities;
  }

  @Override
  public dev.synap.core.store.RelationStore relations() {
    return relations;
  }

  @Override
  public void close() {
    db.close();
  }
}
