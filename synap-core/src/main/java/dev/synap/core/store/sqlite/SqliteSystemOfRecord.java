package dev.synap.core.store.sqlite;

import dev.synap.core.store.EntityStore;
import dev.synap.core.store.CompactionStore;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.TenantStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** The embedded default system of record: one SQLite file ({@code synap.db}) in the data folder. */
public final class SqliteSystemOfRecord implements SystemOfRecord {
  /** The database file inside a data folder. */
  public static final String FILE_NAME = "synap.db";
  private final SqliteDatabase db;
  private final SqliteTenantStore tenants;
  private final SqliteMessageStore messages;
  private final SqliteMemoryStore memories;
  private final SqliteEntityStore entities;
  private final SqliteCompactionStore compactions;

  public SqliteSystemOfRecord(Path dataDir) {
    this.db = new SqliteDatabase(dataDir.resolve(FILE_NAME), 4);
    this.tenants = new SqliteTenantStore(db);
    this.memories = new SqliteMemoryStore(db);
    this.messages = new SqliteMessageStore(db, memories);
    this.entities = new SqliteEntityStore(db);
    this.compactions = new SqliteCompactionStore(db);
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
    return db.write(c -> {
      String owner = "instance_id = ? AND user_id = ?" + (customerId == null ? "" : " AND customer_id = ?");
      int[] counts = new int[3];
      // History of the deleted memories keeps no content: only the fact that they were deleted.
      try (var ps = c.prepareStatement("UPDATE memory_history SET content = NULL WHERE instance_id = ? AND memory_id IN "
          + "(SELECT memory_id FROM memories WHERE " + owner + ")")) {
        bindOwner(ps, 1, instanceId, customerId, userId, true);
        ps.executeUpdate();
      }
      try (var ps = c.prepareStatement("INSERT INTO memory_history (instance_id, memory_id, action, content, status, at) "
          + "SELECT instance_id, memory_id, 'deleted', NULL, 'deleted', ? FROM memories WHERE " + owner)) {
        ps.setLong(1, System.currentTimeMillis());
        bindOwner(ps, 2, instanceId, customerId, userId, false);
        ps.executeUpdate();
      }
      String[] tables = {"memories", "messages", "conversations"};
      for (int i = 0; i < tables.length; i++) {
        try (var ps = c.prepareStatement("DELETE FROM " + tables[i] + " WHERE " + owner)) {
          bindOwner(ps, 1, instanceId, customerId, userId, false);
          counts[i] = ps.executeUpdate();
        }
      }
      deleteOrphanEntities(c, instanceId);
      return new Deleted(counts[0], counts[1], counts[2]);
    });
  }

  /**
   * Entities are shared by the instance; after a user's memories are gone, the entities no
   * remaining memory refers to (directly or through a merged id) go too, with their aliases, so
   * the deleted user's names do not linger in the registry.
   */
  private static void deleteOrphanEntities(java.sql.Connection c, String instanceId) throws java.sql.SQLException {
    String referenced = "(SELECT j.value FROM memories m, json_each(m.attributes_json, '$.entity_ids') j WHERE m.instance_id = ?1 "
        + "UNION SELECT json_extract(m.attributes_json, '$.entity_id') FROM memories m WHERE m.instance_id = ?1)";
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

  private static void bindOwner(java.sql.PreparedStatement ps, int from, String instanceId, String customerId, String userId, boolean leadingInstance)
      throws java.sql.SQLException {
    int i = from;
    if (leadingInstance) ps.setString(i++, instanceId);
    ps.setString(i++, instanceId);
    ps.setString(i++, userId);
    if (customerId != null) ps.setString(i, customerId);
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
