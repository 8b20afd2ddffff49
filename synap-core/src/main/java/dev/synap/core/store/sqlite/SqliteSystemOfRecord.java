package dev.synap.core.store.sqlite;

import dev.synap.core.store.EntityStore;
import dev.synap.core.store.CompactionStore;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.TenantStore;
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
  private final SqliteTenantStore tenants;
  private final SqliteMessageStore messages;
  private final SqliteMemoryStore memories;
  private final SqliteEntityStore entities;
  private final SqliteCompactionStore compactions;
  private final SqliteVectorStore vectors;

  public SqliteSystemOfRecord(Path dataDir) {
    this.db = new SqliteDatabase(dataDir.resolve(FILE_NAME), 4);
    this.tenants = new SqliteTenantStore(db);
    this.memories = new SqliteMemoryStore(db);
    this.messages = new SqliteMessageStore(db, memories);
    this.entities = new SqliteEntityStore(db);
    this.compactions = new SqliteCompactionStore(db);
    this.vectors = new SqliteVectorStore(db);
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
  public Deleted deleteUser(String instanceId, String customerId, String userId) {
    Deleted d = db.write(c -> deleteUser(c, instanceId, customerId, userId));
    // secure_delete zeroed the rows in the pages the deletion wrote, but the WAL still holds
    // earlier images of those pages, and the database file too until a checkpoint copies the new
    // ones over them: checkpoint now and truncate the WAL.
    if (!db.checkpoint()) LOG.warn("user deletion: readers kept the WAL checkpoint from completing; it completes at the next checkpoint");
    return d;
  }

  private static Deleted deleteUser(Connection c, String instanceId, String customerId, String userId) throws SQLException {
    String owner = "instance_id = ? AND user_id = ?" + (customerId == null ? "" : " AND customer_id = ?");
    Object[] ownerArgs = customerId == null ? new Object[] {instanceId, userId} : new Object[] {instanceId, userId, customerId};
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
      String where = scope[0];
      // History of the deleted memories keeps no content: only the fact that they were deleted.
      update(c, "UPDATE memory_history SET content = NULL WHERE instance_id = ? AND memory_id IN (SELECT memory_id FROM memories WHERE "
          + where + ")", prepend(instanceId, args));
      update(c, "INSERT INTO memory_history (instance_id, memory_id, action, content, status, at) SELECT instance_id, memory_id, 'deleted', "
          + "NULL, 'deleted', ? FROM memories WHERE " + where, prepend(System.currentTimeMillis(), args));
      memories += update(c, "DELETE FROM memories WHERE " + where, args);
      messages += update(c, "DELETE FROM messages WHERE " + where, args);
    }
    // A compaction summarises every turn of its conversation: those of every conversation the user
    // spoke in go. By conversation, not by the compaction's user id, which names no customer.
    for (String conv : touched) update(c, "DELETE FROM compactions WHERE instance_id = ? AND conversation_id = ?", instanceId, conv);
    if (customerId == null) update(c, "DELETE FROM compactions WHERE instance_id = ? AND user_id = ?", instanceId, userId);
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
  public dev.synap.core.store.VectorStore vectors() {
    return vectors;
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
