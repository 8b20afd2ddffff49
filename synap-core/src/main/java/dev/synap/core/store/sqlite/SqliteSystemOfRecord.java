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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
    String owner = "instance_id = ? AND user_id = ?" + (customerId == null ? "" : " AND customer_id = ?");
    Object[] ownerArgs = customerId == null ? new Object[] {instanceId, userId} : new Object[] {instanceId, userId, customerId};
    return checkpointed("user", db.write(c -> {
      Deleted d = deleteOwned(c, instanceId, owner, ownerArgs);
      // Compactions name a user but no customer: without a customer the user id alone decides.
      if (customerId == null) update(c, "DELETE FROM compactions WHERE instance_id = ? AND user_id = ?", instanceId, userId);
      return d;
    }));
  }

  @Override
  public Deleted deleteCustomer(String instanceId, String customerId) {
    return checkpointed("customer", db.write(c -> deleteOwned(c, instanceId, "instance_id = ? AND customer_id = ?", new Object[] {instanceId, customerId})));
  }

  @Override
  public Deleted deleteConversation(String instanceId, String conversationId) {
    return checkpointed("conversation", db.write(c -> {
      String inConversation = "instance_id = ? AND conversation_id = ?";
      // A memory restated in another conversation (its sources name a turn there) is that
      // conversation's too, and stays.
      String onlyHere = inConversation + " AND NOT EXISTS (SELECT 1 FROM json_each(memories.source_message_ids) j JOIN messages o "
          + "ON o.message_id = j.value WHERE o.instance_id = memories.instance_id AND o.conversation_id <> memories.conversation_id)";
      Set<String> ingestions = strings(c, "SELECT DISTINCT ingestion_id FROM messages WHERE " + inConversation + " AND ingestion_id IS NOT NULL",
          instanceId, conversationId);
      int memories = deleteMemories(c, instanceId, onlyHere, new Object[] {instanceId, conversationId});
      int messages = update(c, "DELETE FROM messages WHERE " + inConversation, instanceId, conversationId);
      update(c, "DELETE FROM compactions WHERE " + inConversation, instanceId, conversationId);
      update(c, "DELETE FROM conversation_details WHERE " + inConversation, instanceId, conversationId);
      for (String ingestion : ingestions) {
        update(c, "DELETE FROM ingestions WHERE instance_id = ? AND ingestion_id = ? AND NOT EXISTS "
            + "(SELECT 1 FROM messages WHERE ingestion_id = ingestions.ingestion_id)", instanceId, ingestion);
      }
      int conversations = update(c, "DELETE FROM conversations WHERE " + inConversation, instanceId, conversationId);
      deleteOrphanEntities(c, instanceId);
      return new Deleted(memories, messages, conversations, Set.of(conversationId));
    }));
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

  /** Memories matching {@code where}, leaving content-free "deleted" markers in their history. */
  private static int deleteMemories(Connection c, String instanceId, String where, Object[] args) throws SQLException {
    // History of the deleted memories keeps no content: only the fact that they were deleted.
    update(c, "UPDATE memory_history SET content = NULL WHERE instance_id = ? AND memory_id IN (SELECT memory_id FROM memories WHERE "
        + where + ")", prepend(instanceId, args));
    update(c, "INSERT INTO memory_history (instance_id, memory_id, action, content, status, at) SELECT instance_id, memory_id, 'deleted', "
        + "NULL, 'deleted', ? FROM memories WHERE " + where, prepend(System.currentTimeMillis(), args));
    return update(c, "DELETE FROM memories WHERE " + where, args);
  }

  /** Everything of one owner (a user, or a customer with its users), as {@link #deleteUser} documents. */
  private static Deleted deleteOwned(Connection c, String instanceId, String owner, Object[] ownerArgs) throws SQLException {
    Set<String> owned = strings(c, "SELECT conversation_id FROM conversations WHERE " + owner, ownerArgs);
    Set<String> touched = new LinkedHashSet<>(owned);
    touched.addAll(strings(c, "SELECT DISTINCT conversation_id FROM messages WHERE " + owner, ownerArgs));
    // In the user's own conversations, what no user id holds (an assistant's replies, their
    // memories) goes too: it answers, quotes or paraphrases the user.
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
    // A compaction summarises every turn of its conversation: those of every conversation the user
    // spoke in go (by conversation, not by the compaction's user id, which names no customer), as
    // do the details a transcript gave (its analysis quotes the conversation).
    for (String conv : touched) {
      update(c, "DELETE FROM compactions WHERE instance_id = ? AND conversation_id = ?", instanceId, conv);
      update(c, "DELETE FROM conversation_details WHERE instance_id = ? AND conversation_id = ?", instanceId, conv);
    }
    update(c, "DELETE FROM ingestions WHERE " + owner, ownerArgs);
    int conversations = update(c, "DELETE FROM conversations WHERE " + owner, ownerArgs);
    deleteOrphanEntities(c, instanceId);
    return new Deleted(memories, messages, conversations, Set.copyOf(touched));
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

  /**
   * Entities are shared by the instance; after a user's memories are gone, the entities no
   * remaining memory refers to (directly or through a merged id) go too, with their aliases, so
   * the deleted user's names do not linger in the registry.
   */
  private static void deleteOrphanEntities(Connection c, String instanceId) throws SQLException {
    String referenced = "(SELECT j.value FROM memories m, json_each(m.attributes_json, '$.entity_ids') j WHERE m.instance_id = ?1 "
        + "UNION SELECT json_extract(m.attributes_json, '$.entity_id') FROM memories m WHERE m.instance_id = ?1 "
        // Without this, a memory naming no entity put a NULL in the set, and "NOT IN" a set holding
        // NULL is never true: no orphan was ever deleted once any such memory remained.
        + "AND json_extract(m.attributes_json, '$.entity_id') IS NOT NULL)";
    String orphans = "(SELECT e.entity_id FROM entities e WHERE e.instance_id = ?1 AND e.entity_id NOT IN " + referenced
        + " AND NOT EXISTS (SELECT 1 FROM entities f WHERE f.merged_into = e.entity_id AND f.entity_id IN " + referenced + "))";
    // Aliases and merges point at entities: remove them first, then the entities themselves.
    for (String sql : new String[] {
        "DELETE FROM entity_aliases WHERE instance_id = ?1 AND entity_id IN " + orphans,
        "DELETE FROM entity_merges WHERE instance_id = ?1 AND (from_entity_id IN " + orphans + " OR into_entity_id IN " + orphans + ")",
        "DELETE FROM entities WHERE instance_id = ?1 AND entity_id IN " + orphans}) {
      try (var st = c.prepareStatement(sql)) {
        st.setString(1, instanceId);
        st.executeUpdate();
      }
    }
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
