package dev.synap.core.store.jdbc;

import dev.synap.core.store.SystemOfRecord.Deleted;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The deletions of a user, a customer and a conversation, the same SQL for every JDBC store but for
 * how a JSON array column is read. Each method runs inside the caller's transaction, so a store can
 * do what it must around it (PostgreSQL takes the change log's lock first; SQLite checkpoints the
 * WAL after the commit).
 */
public final class JdbcDeletion {
  /**
   * How this database reads JSON; every expression yields rows with a text column {@code value}.
   *
   * @param sourceIds table expression over {@code memories.source_message_ids}, aliased {@code j}
   * @param entityIds format string ({@code %s}: a memories alias) of a table expression over the alias's
   *     {@code attributes_json.entity_ids} array (none when it is not an array), aliased {@code j}
   * @param entityId format string ({@code %s}: a memories alias) of the alias's {@code attributes_json.entity_id} as text
   */
  public record Dialect(String sourceIds, String entityIds, String entityId) {
    public static final Dialect SQLITE = new Dialect("json_each(memories.source_message_ids) j", "json_each(%s.attributes_json, '$.entity_ids') j",
        "json_extract(%s.attributes_json, '$.entity_id')");
    public static final Dialect POSTGRESQL = new Dialect("jsonb_array_elements_text(memories.source_message_ids) j(value)",
        "jsonb_array_elements_text(CASE WHEN jsonb_typeof(%1$s.attributes_json -> 'entity_ids') = 'array' THEN %1$s.attributes_json -> 'entity_ids' "
            + "ELSE '[]'::jsonb END) j(value)",
        "%s.attributes_json ->> 'entity_id'");
  }

  private final Dialect dialect;

  public JdbcDeletion(Dialect dialect) {
    this.dialect = dialect;
  }

  /** A user's memories, messages, conversations and what derives from them; see {@code SystemOfRecord.deleteUser}. */
  public Deleted user(Connection c, String instanceId, String customerId, String userId) throws SQLException {
    String owner = "instance_id = ? AND user_id = ?" + (customerId == null ? "" : " AND customer_id = ?");
    Object[] ownerArgs = customerId == null ? new Object[] {instanceId, userId} : new Object[] {instanceId, userId, customerId};
    Deleted d = owned(c, instanceId, owner, ownerArgs);
    // Compactions name a user but no customer: without a customer the user id alone decides.
    if (customerId == null) update(c, "DELETE FROM compactions WHERE instance_id = ? AND user_id = ?", instanceId, userId);
    return d;
  }

  /** A customer with its users, as {@link #user}. */
  public Deleted customer(Connection c, String instanceId, String customerId) throws SQLException {
    return owned(c, instanceId, "instance_id = ? AND customer_id = ?", new Object[] {instanceId, customerId});
  }

  /** One conversation: its messages, the memories only it sources, its compactions, details and ingestions. */
  public Deleted conversation(Connection c, String instanceId, String conversationId) throws SQLException {
    String inConversation = "instance_id = ? AND conversation_id = ?";
    // A memory restated in another conversation (its sources name a turn there) is that
    // conversation's too, and stays.
    String onlyHere = inConversation + " AND NOT EXISTS (SELECT 1 FROM " + dialect.sourceIds() + " JOIN messages o "
        + "ON o.message_id = j.value WHERE o.instance_id = memories.instance_id AND o.conversation_id <> memories.conversation_id)";
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

  /** Everything of one owner (a user, or a customer with its users). */
  private Deleted owned(Connection c, String instanceId, String owner, Object[] ownerArgs) throws SQLException {
    Set<String> owned = strings(c, "SELECT conversation_id FROM conversations WHERE " + owner, ownerArgs);
    Set<String> touched = new LinkedHashSet<>(owned);
    touched.addAll(strings(c, "SELECT DISTINCT conversation_id FROM messages WHERE " + owner, ownerArgs));
    // In the owner's own conversations, what no user id holds (an assistant's replies, their
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
    // A compaction summarises every turn of its conversation: those of every conversation the owner
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

  /**
   * Entities are shared by the instance; after an owner's memories are gone, the entities no
   * remaining memory refers to (directly or through a merged id) go too, with their aliases, so
   * the deleted owner's names do not linger in the registry.
   */
  private void deleteOrphanEntities(Connection c, String instanceId) throws SQLException {
    String referenced = "(SELECT j.value FROM memories m, " + dialect.entityIds().formatted("m") + " WHERE m.instance_id = ? "
        + "UNION SELECT " + dialect.entityId().formatted("m") + " FROM memories m WHERE m.instance_id = ? "
        // Without this, a memory naming no entity put a NULL in the set, and "NOT IN" a set holding
        // NULL is never true: no orphan was ever deleted once any such memory remained.
        + "AND " + dialect.entityId().formatted("m") + " IS NOT NULL)";
    String orphans = "(SELECT e.entity_id FROM entities e WHERE e.instance_id = ? AND e.entity_id NOT IN " + referenced
        + " AND NOT EXISTS (SELECT 1 FROM entities f WHERE f.merged_into = e.entity_id AND f.entity_id IN " + referenced + "))";
    int perOrphans = 5; // the instance id's placeholders in one "orphans" expression
    // Aliases and merges point at entities: remove them first, then the entities themselves.
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
}
