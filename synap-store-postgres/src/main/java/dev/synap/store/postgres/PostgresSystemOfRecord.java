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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
    String owner = "instance_id = ? AND user_id = ?" + (customerId == null ? "" : " AND customer_id = ?");
    Object[] ownerArgs = customerId == null ? new Object[] {instanceId, userId} : new Object[] {instanceId, userId, customerId};
    return db.transaction(c -> {
      PgMemoryStore.lockChangeLog(c); // memories change: in the change log's commit order (see lockChangeLog)
      Deleted d = deleteOwned(c, instanceId, owner, ownerArgs);
      // Compactions name a user but no customer: without a customer the user id alone decides.
      if (customerId == null) update(c, "DELETE FROM compactions WHERE instance_id = ? AND user_id = ?", instanceId, userId);
      return d;
    });
  }

  @Override
  public Deleted deleteCustomer(String instanceId, String customerId) {
    return db.transaction(c -> {
      PgMemoryStore.lockChangeLog(c);
      return deleteOwned(c, instanceId, "instance_id = ? AND customer_id = ?", new Object[] {instanceId, customerId});
    });
  }

  @Override
  public Deleted deleteConversation(String instanceId, String conversationId) {
    return db.transaction(c -> {
      PgMemoryStore.lockChangeLog(c);
      String inConversation = "instance_id = ? AND conversation_id = ?";
      // A memory restated in another conversation (its sources name a turn there) is that conversation's too, and stays.
      String onlyHere = inConversation + " AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(memories.source_message_ids) j(id) "
          + "JOIN messages o ON o.message_id = j.id WHERE o.instance_id = memories.instance_id AND o.conversation_id <> memories.conversation_id)";
      Set<String> ingestions = strings(c, "SELECT DISTINCT ingestion_id FROM messages WHERE " + inConversation + " AND ingestion_id IS NOT NULL",
          instanceId, conversationId);
      int memories = deleteMemories(c, instanceId, onlyHere, new Object[] {instanceId, conversationId});
      int messages = update(c, "DELETE FROM messages WHERE " + inConversation, instanceId, conversationId);
      update(c, "DELETE FROM compactions WHERE " + inConversation, instanceId, conversationId);
      update(c, "DELETE FROM conversation_details WHERE " + inConversation, instanceId, conversationId);
      for (String ingestion : ingestions) {
        update(c, "DELETE FROM ingestions WHERE instance_id = ? AND ingestion_id = ? AND NOT EXISTS "
            + "(SELECT 1 FROM messages WHERE messages.ingestion_id = ingestions.ingestion_id)", instanceId, ingestion);
      }
      int conversations = update(c, "DELETE FROM conversations WHERE " + inConversation, instanceId, conversationId);
      deleteOrphanEntities(c, instanceId);
      return new Deleted(memories, messages, conversations, Set.of(conversationId));
    });
  }

  /** Memories matching {@code where}, leaving content-free "deleted" markers in their history. */
  private static int deleteMemories(Connection c, String instanceId, String where, Object[] args) throws SQLException {
    update(c, "UPDATE memory_history SET content = NULL WHERE instance_id = ? AND memory_id IN (SELECT memory_id FROM memories WHERE "
        + where + ")", prepend(instanceId, args));
    update(c, "INSERT INTO memory_history (instance_id, memory_id, action, content, status, at) SELECT instance_id, memory_id, 'deleted', "
        + "NULL, 'deleted', ? FROM memories WHERE " + where, prepend(System.currentTimeMillis(), args));
    return update(c, "DELETE FROM memories WHERE " + where, args);
  }

  /** Everything of one owner (a user, or a customer with its users), as the embedded store. */
  private static Deleted deleteOwned(Connection c, String instanceId, String owner, Object[] ownerArgs) throws SQLException {
    Set<String> owned = strings(c, "SELECT conversation_id FROM conversations WHERE " + owner, ownerArgs);
    Set<String> touched = new LinkedHashSet<>(owned);
    touched.addAll(strings(c, "SELECT DISTINCT conversation_id FROM messages WHERE " + owner, ownerArgs));
    // In the owner's own conversations, what no user id holds (an assistant's replies, their memories) goes too.
    String unowned = "instance_id = ? AND conversation_id = ? AND user_id IS NULL";
    List<String[]> scopes = new ArrayList<>();
    scopes.add(new String[] {owner});
    for (String conv : owned) scopes.add(new String[] {unowned, conv});
    int memories = 0, messages = 0;
    for (String[] scope : scopes) {
      Object[] args = scope.length == 1 ? ownerArgs : new Object[] {instanceId, scope[1]};
      memories += deleteMemories(c, instanceId, scope[0], args);
      messages += update(c, "DELETE FROM messages WHERE " + scope[0], args);
    }
    for (String conv : touched) {
      update(c, "DELETE FROM compactions WHERE instance_id = ? AND conversation_id = ?", instanceId, conv);
      update(c, "DELETE FROM conversation_details WHERE instance_id = ? AND conversation_id = ?", instanceId, conv);
    }
    update(c, "DELETE FROM ingestions WHERE " + owner, ownerArgs);
    int conversations = update(c, "DELETE FROM conversations WHERE " + owner, ownerArgs);
    deleteOrphanEntities(c, instanceId);
    return new Deleted(memories, messages, conversations, Set.copyOf(touched));
  }

  /** Entities no remaining memory of the instance names (directly or through an entity merged into them) go, with their aliases. */
  private static void deleteOrphanEntities(Connection c, String instanceId) throws SQLException {
    String referenced = "(SELECT j.id FROM memories m, jsonb_array_elements_text(CASE WHEN jsonb_typeof(m.attributes_json -> 'entity_ids') = 'array' "
        + "THEN m.attributes_json -> 'entity_ids' ELSE '[]'::jsonb END) j(id) WHERE m.instance_id = ? "
        + "UNION SELECT m.attributes_json ->> 'entity_id' FROM memories m WHERE m.instance_id = ? AND jsonb_exists(m.attributes_json, 'entity_id'))";
    String orphans = "(SELECT e.entity_id FROM entities e WHERE e.instance_id = ? AND e.entity_id NOT IN " + referenced
        + " AND NOT EXISTS (SELECT 1 FROM entities f WHERE f.merged_into = e.entity_id AND f.entity_id IN " + referenced + "))";
    int perOrphans = 5; // instance id occurrences in one "orphans" expression
    update(c, "DELETE FROM entity_aliases WHERE instance_id = ? AND entity_id IN " + orphans, repeat(instanceId, 1 + perOrphans));
    update(c, "DELETE FROM entity_merges WHERE instance_id = ? AND (from_entity_id IN " + orphans + " OR into_entity_id IN " + orphans + ")",
        repeat(instanceId, 1 + 2 * perOrphans));
    update(c, "DELETE FROM entities WHERE instance_id = ? AND entity_id IN " + orphans, repeat(instanceId, 1 + perOrphans));
  }

  private static Object[] repeat(Object value, int times) {
    Object[] out = new Object[times];
    java.util.Arrays.fill(out, value);
    return out;
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] out = new Object[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      return ps.executeUpdate();
    }
  }

  private static Set<String> strings(Connection c, String sql, Object... args) throws SQLException {
    Set<String> out = new LinkedHashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
    }
    return out;
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
