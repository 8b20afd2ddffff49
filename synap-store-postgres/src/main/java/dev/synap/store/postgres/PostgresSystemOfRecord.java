package dev.synap.store.postgres;

import dev.synap.core.store.CompactionStore;
import dev.synap.core.store.EntityStore;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.StoreException;
import dev.synap.core.store.StoreProvider;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.TenantStore;
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
      // Several nodes (V30-V39).
      "V30__message_leases.sql", "V31__memory_vectors.sql");
  /** Any constant shared by every node: the advisory lock that serialises migrations ("synap" in ASCII). */
  private static final long MIGRATION_LOCK = 0x73796E6170L;
  static final SchemaMigrations MIGRATIONS = new SchemaMigrations(PostgresSystemOfRecord.class, SCRIPTS,
      new SchemaMigrations.Dialect("/db/migration/postgresql/", "SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")",
          "SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")", false));

  private final PgDatabase db;
  private final List<Integer> migratedAtOpen;
  private final PgTenantStore tenants;
  private final PgMessageStore messages;
  private final PgMemoryStore memories;
  private final PgEntityStore entities;
  private final PgCompactionStore compactions;
  private final PgVectorStore vectors;
  private final StoreSettings settings;

  public PostgresSystemOfRecord(StoreSettings settings) {
    this.db = new PgDatabase(settings);
    try {
      this.migratedAtOpen = migrate().appliedNow();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    this.tenants = new PgTenantStore(db);
    this.memories = new PgMemoryStore(db);
    this.messages = new PgMessageStore(db);
    this.entities = new PgEntityStore(db);
    this.compactions = new PgCompactionStore(db);
    this.vectors = new PgVectorStore(db);
    this.settings = settings;
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
  public EntityStore entities() {
    return entities;
  }

  /**
   * As the embedded store, in one transaction. Unlike SQLite's {@code secure_delete}, PostgreSQL
   * keeps dead row versions in its data files until (auto)vacuum reclaims their space; the rows are
   * unreachable through SQL at once.
   */
  @Override
  public Deleted deleteUser(String instanceId, String customerId, String userId) {
    return db.transaction(c -> {
      PgMemoryStore.lockChangeLog(c);
      return deleteUser(c, instanceId, customerId, userId);
    });
  }

  private static Deleted deleteUser(Connection c, String instanceId, String customerId, String userId) throws SQLException {
    String owner = "instance_id = ? AND user_id = ?" + (customerId == null ? "" : " AND customer_id = ?");
    Object[] ownerArgs = customerId == null ? new Object[] {instanceId, userId} : new Object[] {instanceId, userId, customerId};
    Set<String> owned = strings(c, "SELECT conversation_id FROM conversations WHERE " + owner, ownerArgs);
    Set<String> touched = new LinkedHashSet<>(owned);
    touched.addAll(strings(c, "SELECT DISTINCT conversation_id FROM messages WHERE " + owner, ownerArgs));
    // In the user's own conversations, what no user id holds (an assistant's replies, their memories) goes too.
    String unowned = "instance_id = ? AND conversation_id = ? AND user_id IS NULL";
    List<String[]> scopes = new ArrayList<>();
    scopes.add(new String[] {owner});
    for (String conv : owned) scopes.add(new String[] {unowned, conv});
    int memories = 0, messages = 0;
    for (String[] scope : scopes) {
      Object[] args = scope.length == 1 ? ownerArgs : new Object[] {instanceId, scope[1]};
      String where = scope[0];
      update(c, "UPDATE memory_history SET content = NULL WHERE instance_id = ? AND memory_id IN (SELECT memory_id FROM memories WHERE "
          + where + ")", prepend(instanceId, args));
      update(c, "INSERT INTO memory_history (instance_id, memory_id, action, content, status, at) SELECT instance_id, memory_id, 'deleted', "
          + "NULL, 'deleted', ? FROM memories WHERE " + where, prepend(System.currentTimeMillis(), args));
      memories += update(c, "DELETE FROM memories WHERE " + where, args);
      messages += update(c, "DELETE FROM messages WHERE " + where, args);
    }
    for (String conv : touched) update(c, "DELETE FROM compactions WHERE instance_id = ? AND conversation_id = ?", instanceId, conv);
    if (customerId == null) update(c, "DELETE FROM compactions WHERE instance_id = ? AND user_id = ?", instanceId, userId);
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
