package dev.synap.store.postgres;

import dev.synap.core.store.CompactionStore;
import dev.synap.core.store.EntityStore;
import dev.synap.core.store.InstanceArchive;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.StoreException;
import dev.synap.core.store.StoreProvider;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.TenantStore;
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
import dev.synap.core.store.jdbc.SchemaMigrations;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL as the system of record shared by several server nodes. Same schema versions and
 * semantics as the embedded SQLite store (the contract suite runs on both); the schema is migrated
 * on open under an advisory lock, so nodes starting together migrate once.
 */
public final class PostgresSystemOfRecord implements SystemOfRecord {
  static final List<String> SCRIPTS = List.of(
      "V1__init.sql", "V2__entities.sql", "V3__ingestions_and_history.sql", "V5__compactions.sql",
      "V6__deletion_leaves_no_trace.sql", "V7__extraction_attempts.sql",
      "V10__control_plane.sql", "V11__usage_rollups.sql", "V12__memory_configs.sql", "V13__webhooks.sql",
      "V20__conversation_details.sql",
      // Several nodes (V30-V39).
      "V30__message_leases.sql", "V31__memory_vectors.sql", "V32__node_heartbeats.sql",
      "V33__compaction_claimed_at.sql",
      // Retrieval depth (V40-V44).
      "V40__entity_relations.sql");
  /** Any constant shared by every node: the advisory lock that serialises migrations ("synap" in ASCII). */
  private static final long MIGRATION_LOCK = 0x73796E6170L;
  static final SchemaMigrations MIGRATIONS = new SchemaMigrations(PostgresSystemOfRecord.class, SCRIPTS,
      new SchemaMigrations.Dialect("/db/migration/postgresql/", "SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")",
          "SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")", false));

  private final PgDatabase db;
  private final List<Integer> migratedAtOpen;
  private final JdbcTenantStore tenants;
  private final PgMessageStore messages;
  private final PgMemoryStore memories;
  private final JdbcEntityStore entities;
  private final dev.synap.core.store.jdbc.JdbcRelationStore relations;
  private final JdbcCompactionStore compactions;
  private final JdbcInstanceArchive archive;
  private static final JdbcInstanceArchive.Dialect ARCHIVE_DIALECT = new JdbcInstanceArchive.Dialect(
      "SELECT jsonb_array_elements_text(m.attributes_json -> 'entity_ids') FROM memories m WHERE %s", JdbcInstanceArchive.JSON_COLUMNS,
      Set.of("memories.attributes_json", "memories.source_message_ids"), Set.of("memories.content_tsv"),
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
          // Not exported: bookkeeping, and what EXPORT_LEAVES_OUT names (see there).
          + "AND table_name NOT IN ('schema_version', " + JdbcInstanceArchive.EXPORT_LEAVES_OUT + ")");
  private final JdbcVectorStore vectors;
  private final StoreSettings settings;
  private final JdbcControlStore control;
  private final JdbcUsageStore usage;
  private final JdbcMemoryConfigStore memoryConfigs;
  private final JdbcWebhookStore webhooks;
  private final JdbcDeletion deletion = new JdbcDeletion(JdbcDeletion.Dialect.POSTGRESQL);

  /** Nodes share the store; a running job (no completion time yet) is newer than one started in the same millisecond. */
  private static final JdbcCompactionStore.Dialect COMPACTION_DIALECT =
      new JdbcCompactionStore.Dialect("initiated_at DESC, completed_at DESC NULLS FIRST", true);
  /** Foreign keys are checked per statement: entities go after the aliases that reference them. */
  private static final JdbcTenantStore.Dialect TENANT_DIALECT = new JdbcTenantStore.Dialect(null,
      "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
          + "AND column_name = 'instance_id' AND table_name NOT IN ('instances', 'audit_log') ORDER BY table_name = 'entities', table_name");
  /** Merges run concurrently on several connections: a roll-up's row is locked from its read to its write. */
  private static final JdbcUsageStore.Dialect USAGE_DIALECT = new JdbcUsageStore.Dialect(" FOR UPDATE", "INSERT INTO",
      " ON CONFLICT (instance_id, metric, bucket, group_kind, bucket_start, group_key) DO UPDATE SET count = excluded.count, latency = excluded.latency");

  public PostgresSystemOfRecord(StoreSettings settings) {
    this.db = new PgDatabase(settings);
    try {
      this.migratedAtOpen = migrate().appliedNow();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    // The stores' writes join the group commit; an import's writes are one transaction of their own.
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
      public <T> T writeAlone(JdbcAccess.Work<T> work) {
        return db.transaction(work::run);
      }
    };
    this.tenants = new JdbcTenantStore(access, TENANT_DIALECT);
    this.memories = new PgMemoryStore(db, new JdbcMemoryReads(access));
    this.messages = new PgMessageStore(db, new JdbcMessageReads(access));
    this.relations = new dev.synap.core.store.jdbc.JdbcRelationStore(access);
    this.entities = new JdbcEntityStore(access, "string_agg(a.alias, chr(31) ORDER BY a.created_at, a.alias_norm)");
    this.compactions = new JdbcCompactionStore(access, COMPACTION_DIALECT);
    this.archive = new JdbcInstanceArchive(new JdbcAccess() {
      @Override
      public <T> T read(JdbcAccess.Work<T> work) {
        return db.read(work::run);
      }

      @Override
      public <T> T write(JdbcAccess.Work<T> work) {
        return db.transaction(work::run);
      }
    }, ARCHIVE_DIALECT);
    this.vectors = new JdbcVectorStore(access);
    this.settings = settings;
    this.control = new JdbcControlStore(access, JdbcControlStore.GeneratedId.RETURNING);
    this.usage = new JdbcUsageStore(access, USAGE_DIALECT);
    this.memoryConfigs = new JdbcMemoryConfigStore(access);
    this.webhooks = new JdbcWebhookStore(access);
  }

  /** Applies pending migrations (none when another node or an earlier open did). */
  StoreProvider.Migration migrate() {
    return db.read(c -> {
      try {
        List<Integer> now = MIGRATIONS.apply(c);
        return new StoreProvider.Migration(now, MIGRATIONS.applied(c));
      } catch (IOException e) {
        throw new StoreException("cannot read the PostgreSQL migrations: " + e.getMessage(), e);
      } catch (SQLException e) {
        if (PgDatabase.unavailable(e)) throw e;
        throw new StoreException("cannot migrate the PostgreSQL schema: " + e.getMessage(), e);
      }
    });
  }

  List<Integer> migratedAtOpen() {
    return migratedAtOpen;
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
  public InstanceArchive archive() {
    return archive;
  }

  @Override
  public dev.synap.core.store.ControlStore control() {
    return control;
  }

  @Override
  public dev.synap.core.store.UsageStore usage() {
    return usage;
  }

  @Override
  public dev.synap.core.store.MemoryConfigStore memoryConfigs() {
    return memoryConfigs;
  }

  @Override
  public dev.synap.core.store.WebhookStore webhooks() {
    return webhooks;
  }

  @Override
  public EntityStore entities() {
    return entities;
  }

  @Override
  public dev.synap.core.store.RelationStore relations() {
    return relations;
  }

  /**
   * As the embedded store, in one transaction. Unlike SQLite's {@code secure_delete}, PostgreSQL
   * keeps dead row versions in its data files until (auto)vacuum reclaims their space; the rows are
   * unreachable through SQL at once.
   */
  @Override
  public Deleted deleteUser(String instanceId, String customerId, String userId) {
    return db.transaction(c -> {
      PgMemoryStore.lockChangeLog(c); // memories change: in the change log's commit order (see lockChangeLog)
      return deletion.user(c, instanceId, customerId, userId);
    });
  }

  @Override
  public Deleted deleteCustomer(String instanceId, String customerId) {
    return db.transaction(c -> {
      PgMemoryStore.lockChangeLog(c);
      return deletion.customer(c, instanceId, customerId);
    });
  }

  @Override
  public Deleted deleteConversation(String instanceId, String conversationId) {
    return db.transaction(c -> {
      PgMemoryStore.lockChangeLog(c);
      return deletion.conversation(c, instanceId, conversationId);
    });
  }

  @Override
  public dev.synap.core.store.VectorStore vectors() {
    return vectors;
  }

  /** Several server nodes open this store at once. */
  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public int heartbeat(String nodeId, java.time.Duration window) {
    return db.read(c -> {
      long now = System.currentTimeMillis();
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO node_heartbeats (node_id, seen_at) VALUES (?, ?) ON CONFLICT (node_id) DO UPDATE SET seen_at = excluded.seen_at")) {
        ps.setString(1, nodeId);
        ps.setLong(2, now);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM node_heartbeats WHERE seen_at >= ?")) {
        ps.setLong(1, now - window.toMillis());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return Math.max(1, rs.getInt(1));
        }
      }
    });
  }

  /** LISTEN/NOTIFY on a connection of the bus's own (see {@link PgClusterBus}). */
  @Override
  public dev.synap.core.store.ClusterBus openBus(String nodeId) {
    return new PgClusterBus(settings, db, nodeId);
  }

  @Override
  public void close() {
    db.close();
  }
}
