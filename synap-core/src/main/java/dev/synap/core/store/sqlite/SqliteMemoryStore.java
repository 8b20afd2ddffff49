package dev.synap.core.store.sqlite;

import dev.synap.core.store.jdbc.JdbcMemoryReads;
import dev.synap.core.store.jdbc.JsonColumns;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.store.MemoryChanges;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MemoryLedger;
import dev.synap.core.store.MemoryStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

final class SqliteMemoryStore implements MemoryStore {
  private static final String COLUMNS =
      "m.memory_id, m.instance_id, m.user_id, m.customer_id, m.conversation_id, m.scope, m.memory_type, m.content, m.confidence, "
          + "m.category, m.attributes_json, m.event_date, m.valid_until, m.temporal_category, m.source_message_ids, m.status, "
          + "m.created_at, m.updated_at";
  private final SqliteDatabase db;
  private final JdbcMemoryReads reads;

  SqliteMemoryStore(SqliteDatabase db, JdbcMemoryReads reads) {
    this.db = db;
    this.reads = reads;
  }

  @Override
  public List<LexicalHit> searchLexical(MemoryFilter filter, List<String> terms, int limit) {
    return db.read(c -> searchLexical(c, filter, terms, limit));
  }

  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]");

  static List<LexicalHit> searchLexical(Connection c, MemoryFilter filter, List<String> terms, int limit) throws SQLException {
    String match = terms.stream()
        .map(t -> NOT_WORD.matcher(t).replaceAll(""))
        .filter(t -> !t.isEmpty())
        .map(t -> "\"" + t.toLowerCase(Locale.ROOT) + "\"")
        .distinct()
        .collect(Collectors.joining(" OR "));
    if (match.isEmpty()) return List.of();
    List<Object> args = new ArrayList<>();
    args.add(match);
    String where = where(filter, args);
    args.add(limit);
    String sql = "SELECT " + COLUMNS + ", -bm25(memories_fts) AS score FROM memories_fts JOIN memories m ON m.rowid = memories_fts.rowid "
        + "WHERE memories_fts MATCH ? AND " + where + " ORDER BY bm25(memories_fts) LIMIT ?";
    List<LexicalHit> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(new LexicalHit(memory(rs), rs.getDouble(19)));
    }
    return out;
  }

  @Override
  public List<Memory> list(MemoryFilter filter, int limit, int offset) {
    return db.read(c -> list(c, filter, "", List.of(), limit, offset));
  }

  @Override
  public long count(MemoryFilter filter) {
    return db.read(c -> {
      List<Object> args = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, "SELECT COUNT(*) FROM memories m WHERE " + where(filter, args), args); ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  /** Newest first; {@code extraWhere} (with its {@code extraArgs}) narrows the filter further. */
  static List<Memory> list(Connection c, MemoryFilter filter, String extraWhere, List<Object> extraArgs, int limit, int offset)
      throws SQLException {
    List<Object> args = new ArrayList<>();
    String where = where(filter, args) + extraWhere;
    args.addAll(extraArgs);
    args.add(limit);
    args.add(offset);
    String sql = "SELECT " + COLUMNS + " FROM memories m WHERE " + where + " ORDER BY m.rowid DESC LIMIT ? OFFSET ?";
    List<Memory> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(memory(rs));
    }
    return out;
  }

  /** A ledger bound to the writer connection, so it sees the transaction's own earlier work. */
  static MemoryLedger ledger(Connection c) {
    return new MemoryLedger() {
      @Override
      public List<Memory> similar(MemoryFilter scope, List<String> terms, int limit) {
        return unchecked(() -> searchLexical(c, scope, terms, limit).stream().map(LexicalHit::memory).toList());
      }

      @Override
      public List<Memory> withAttribute(MemoryFilter scope, String key) {
        return unchecked(() -> list(c, scope, " AND json_extract(m.attributes_json, '$.attribute_key') = ?", List.of(key), 200, 0));
      }

      @Override
      public List<Memory> newest(MemoryFilter scope, int limit) {
        return unchecked(() -> list(c, scope, "", List.of(), limit, 0));
      }
    };
  }

  private interface SqlCall<T> {
    T call() throws SQLException;
  }

  private static <T> T unchecked(SqlCall<T> call) {
    try {
      return call.call();
    } catch (SQLException e) {
      throw new StorageException(e.getMessage(), e);
    }
  }

  /** Applies one message's consolidation outcome on the writer connection. */
  void apply(Connection c, MemoryChanges changes) throws SQLException {
    insert(c, changes.inserts());
    long now = System.currentTimeMillis();
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE memories SET confidence = ?, attributes_json = ?, source_message_ids = ?, updated_at = ? WHERE memory_id = ?")) {
      for (Memory m : changes.reinforced()) {
        ps.setDouble(1, m.confidence());
        ps.setString(2, JsonColumns.write(m.attributes()));
        ps.setString(3, JsonColumns.write(m.sourceMessageIds()));
        ps.setLong(4, now);
        ps.setString(5, m.memoryId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    for (Memory m : changes.reinforced()) appendHistory(c, m.instanceId(), m.memoryId(), "reinforced", null, m.status());
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE memories SET status = ?, valid_until = COALESCE(?, valid_until), updated_at = ?, "
            + "attributes_json = json_set(attributes_json, '$.status_reason', ?, '$.changed_by', ?) WHERE memory_id = ? AND status = 'current'")) {
      for (MemoryChanges.StatusChange s : changes.statusChanges()) {
        ps.setString(1, s.status());
        ps.setString(2, s.validUntil());
        ps.setLong(3, now);
        ps.setString(4, s.reason());
        ps.setString(5, s.byMemoryId());
        ps.setString(6, s.memoryId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO memory_history (instance_id, memory_id, action, content, status, at) "
        + "SELECT instance_id, memory_id, ?, NULL, status, ? FROM memories WHERE memory_id = ?")) {
      for (MemoryChanges.StatusChange s : changes.statusChanges()) {
        ps.setString(1, s.status());
        ps.setLong(2, now);
        ps.setString(3, s.memoryId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public Optional<Memory> get(String instanceId, String memoryId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM memories m WHERE m.instance_id = ? AND m.memory_id = ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, memoryId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(memory(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Memory> getAll(String instanceId, Collection<String> memoryIds) {
    if (memoryIds.isEmpty()) return List.of();
    List<String> ids = List.copyOf(new LinkedHashSet<>(memoryIds));
    String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
    return db.read(c -> {
      List<Memory> out = new ArrayList<>(ids.size());
      // The unary plus keeps SQLite from choosing an instance_id index (which would scan the whole
      // instance) over the unique memory_id index: measured 60 ms against 0.1 ms at 100k memories.
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM memories m WHERE +m.instance_id = ? AND m.memory_id IN (" + marks + ")")) {
        ps.setString(1, instanceId);
        for (int i = 0; i < ids.size(); i++) ps.setString(i + 2, ids.get(i));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(memory(rs));
        }
      }
      return out;
    });
  }

  @Override
  public List<Memory> getAll(MemoryFilter filter, Collection<String> memoryIds) {
    if (memoryIds.isEmpty()) return List.of();
    List<String> ids = List.copyOf(new LinkedHashSet<>(memoryIds));
    return db.read(c -> {
      List<Object> args = new ArrayList<>(ids);
      // Every filter column behind a unary plus: the memory_id index must drive this lookup (see getAll above).
      String where = where(filter, args, "+m.");
      List<Memory> out = new ArrayList<>(ids.size());
      String sql = "SELECT " + COLUMNS + " FROM memories m WHERE m.memory_id IN (" + String.join(",", Collections.nCopies(ids.size(), "?"))
          + ") AND " + where;
      try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(memory(rs));
      }
      return out;
    });
  }

  @Override
  public void insert(List<Memory> memories) {
    db.write(c -> {
      insert(c, memories);
      return null;
    });
  }

  void insert(Connection c, List<Memory> memories) throws SQLException {
    if (memories.isEmpty()) return;
    {
      PreparedStatement ps = db.cached(c,
        "INSERT INTO memories (memory_id, instance_id, user_id, customer_id, conversation_id, scope, memory_type, content, confidence, "
            + "category, attributes_json, event_date, valid_until, temporal_category, source_message_ids, status, created_at, updated_at) "
            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      for (Memory m : memories) {
        ps.setString(1, m.memoryId());
        ps.setString(2, m.instanceId());
        ps.setString(3, m.userId());
        ps.setString(4, m.customerId());
        ps.setString(5, m.conversationId());
        ps.setString(6, m.scope().wireName());
        ps.setString(7, m.type().wireKey());
        ps.setString(8, m.content());
        ps.setDouble(9, m.confidence());
        ps.setString(10, m.category());
        ps.setString(11, JsonColumns.write(m.attributes()));
        ps.setString(12, m.eventDate());
        ps.setString(13, m.validUntil());
        ps.setString(14, m.temporalCategory());
        ps.setString(15, JsonColumns.write(m.sourceMessageIds()));
        ps.setString(16, m.status());
        ps.setLong(17, m.createdAt().toEpochMilli());
        ps.setLong(18, m.updatedAt().toEpochMilli());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    for (Memory m : memories) appendHistory(c, m.instanceId(), m.memoryId(), "created", m.content(), m.status());
    // The relations a memory states are committed with it (never one without the other).
    dev.synap.core.store.jdbc.JdbcRelationStore.recordFrom(c, memories);
  }

  @Override
  public List<HistoryEntry> history(String instanceId, String memoryId) {
    return reads.history(instanceId, memoryId);
  }

  @Override
  public boolean updateContent(String instanceId, String memoryId, String content, Map<String, Object> attributes) {
    return db.write(c -> {
      // Read and written on the single writer, so no other change comes between.
      Map<String, Object> merged;
      try (PreparedStatement ps = c.prepareStatement("SELECT attributes_json FROM memories WHERE instance_id = ? AND memory_id = ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, memoryId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return false;
          merged = new LinkedHashMap<>(JsonColumns.objectMap(rs.getString(1)));
        }
      }
      merged.putAll(attributes); // top-level keys: new metadata replaces the old one whole
      merged.put(MemoryStore.EDITED, true);
      try (PreparedStatement ps = c.prepareStatement("UPDATE memories SET content = ?, updated_at = ?, attributes_json = ? WHERE instance_id = ? AND memory_id = ?")) {
        ps.setString(1, content);
        ps.setLong(2, System.currentTimeMillis());
        ps.setString(3, JsonColumns.write(merged));
        ps.setString(4, instanceId);
        ps.setString(5, memoryId);
        if (ps.executeUpdate() == 0) return false;
      }
      appendHistory(c, instanceId, memoryId, "updated", content, null);
      return true;
    });
  }

  @Override
  public boolean delete(String instanceId, String memoryId) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM memories WHERE instance_id = ? AND memory_id = ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, memoryId);
        if (ps.executeUpdate() == 0) return false;
      }
      // A deleted memory's words go from its history too; the entries stay, without content.
      try (PreparedStatement ps = c.prepareStatement("UPDATE memory_history SET content = NULL WHERE instance_id = ? AND memory_id = ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, memoryId);
        ps.executeUpdate();
      }
      appendHistory(c, instanceId, memoryId, "deleted", null, "deleted");
      return true;
    });
  }

  void appendHistory(Connection c, String instanceId, String memoryId, String action, String content, String status) throws SQLException {
    {
      PreparedStatement ps = db.cached(c, "INSERT INTO memory_history (instance_id, memory_id, action, content, status, at) VALUES (?,?,?,?,?,?)");
      ps.setString(1, instanceId);
      ps.setString(2, memoryId);
      ps.setString(3, action);
      ps.setString(4, content);
      ps.setString(5, status);
      ps.setLong(6, System.currentTimeMillis());
      ps.executeUpdate();
    }
  }

  @Override
  public boolean setStatus(String instanceId, String memoryId, String status, String validUntil) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE memories SET status = ?, valid_until = COALESCE(?, valid_until), updated_at = ? WHERE instance_id = ? AND memory_id = ?")) {
        ps.setString(1, status);
        ps.setString(2, validUntil);
        ps.setLong(3, System.currentTimeMillis());
        ps.setString(4, instanceId);
        ps.setString(5, memoryId);
        if (ps.executeUpdate() == 0) return false;
      }
      appendHistory(c, instanceId, memoryId, status, null, status);
      return true;
    });
  }

  @Override
  public long changePosition() {
    return reads.changePosition();
  }

  @Override
  public List<String> changedSince(String instanceId, long position) {
    return db.read(c -> {
      // A range of the history's primary key, as cheap as the number of changes since then (the unary
      // plus keeps SQLite from walking the whole instance's history through its instance_id index).
      try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT memory_id FROM memory_history WHERE seq > ? AND +instance_id = ?")) {
        ps.setLong(1, position);
        ps.setString(2, instanceId);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(rs.getString(1));
        }
        return out;
      }
    });
  }

  @Override
  public List<String> createdBefore(String instanceId, java.time.Instant before, int limit) {
    return db.read(c -> {
      List<String> out = new java.util.ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT memory_id FROM memories WHERE instance_id = ? AND created_at < ? ORDER BY created_at LIMIT ?")) {
        ps.setString(1, instanceId);
        ps.setLong(2, before.toEpochMilli());
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  @Override
  public long count(String instanceId) {
    return reads.count(instanceId);
  }

  /** The tenant predicate every read goes through: instance always, then the scope's owner. */
  private static String where(MemoryFilter f, List<Object> args) {
    return where(f, args, "m.");
  }

  /**
   * @param column the prefix of every column: {@code m.}, or {@code +m.} to keep SQLite from using
   *     an index on these columns (when another condition should drive the lookup)
   */
  private static String where(MemoryFilter f, List<Object> args, String column) {
    StringBuilder sb = new StringBuilder(column + "instance_id = ?");
    args.add(f.instanceId());
    if (f.level() == Scope.CUSTOMER) sb.append(" AND " + column + "user_id IS NULL");
    if (f.level() == Scope.CLIENT) sb.append(" AND " + column + "user_id IS NULL AND " + column + "customer_id IS NULL");
    if (f.customerId() != null && f.level() != Scope.CLIENT) {
      sb.append(" AND " + column + "customer_id = ?");
      args.add(f.customerId());
    }
    if (f.userId() != null && f.level() != Scope.CUSTOMER && f.level() != Scope.CLIENT) {
      sb.append(" AND " + column + "user_id = ?");
      args.add(f.userId());
    }
    if (f.conversationId() != null && (f.level() == Scope.CONVERSATION || f.level() == null)) {
      sb.append(" AND " + column + "conversation_id = ?");
      args.add(f.conversationId());
    }
    if (!f.types().isEmpty()) {
      sb.append(" AND " + column + "memory_type IN (").append(f.types().stream().map(t -> "?").collect(Collectors.joining(","))).append(")");
      for (MemoryType t : f.types()) args.add(t.wireKey());
    }
    if (!f.includeHistory()) sb.append(" AND " + column + "status = 'current'");
    return sb.toString();
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
    return ps;
  }

  private static Memory memory(ResultSet rs) throws SQLException {
    return new Memory(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        Scope.parse(rs.getString(6)).orElse(Scope.USER), MemoryType.parse(rs.getString(7)).orElse(MemoryType.FACT),
        rs.getString(8), rs.getDouble(9), rs.getString(10), JsonColumns.objectMap(rs.getString(11)), rs.getString(12),
        rs.getString(13), rs.getString(14), JsonColumns.stringList(rs.getString(15)), rs.getString(16),
        Instant.ofEpochMilli(rs.getLong(17)), Instant.ofEpochMilli(rs.getLong(18)));
  }
}
