package dev.synap.core.store.sqlite;

import static dev.synap.core.store.jdbc.JdbcMessageReads.list;
import static dev.synap.core.store.jdbc.JdbcMessageReads.message;

import dev.synap.core.store.jdbc.JdbcMessageReads;
import dev.synap.core.store.jdbc.JsonColumns;
import dev.synap.core.model.Message;
import dev.synap.core.store.MemoryChanges;
import dev.synap.core.store.MemoryLedger;
import dev.synap.core.store.MessageStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

final class SqliteMessageStore implements MessageStore {
  private static final String COLUMNS = JdbcMessageReads.COLUMNS;
  /** The same columns, qualified for the self-join in {@link #preceding}. */
  private static final String PREVIOUS_COLUMNS = COLUMNS.replaceAll("(\\w+)", "p.$1");
  private final SqliteDatabase db;
  private final JdbcMessageReads reads;
  private final SqliteMemoryStore memories;

  SqliteMessageStore(SqliteDatabase db, JdbcMessageReads reads, SqliteMemoryStore memories) {
    this.db = db;
    this.reads = reads;
    this.memories = memories;
  }

  @Override
  public List<Appended> appendAll(List<Message> messages, List<String> dedupKeys) {
    return db.write(c -> {
      List<Appended> out = new ArrayList<>(messages.size());
      for (int i = 0; i < messages.size(); i++) out.add(insert(c, messages.get(i), dedupKeys.get(i)));
      return out;
    });
  }

  @Override
  public List<Appended> appendIngestion(Ingestion ingestion, List<Message> messages, List<String> dedupKeys) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO ingestions (ingestion_id, instance_id, document_id, kind, content_hash, user_id, customer_id, queued_at) VALUES (?,?,?,?,?,?,?,?)")) {
        ps.setString(1, ingestion.ingestionId());
        ps.setString(2, ingestion.instanceId());
        ps.setString(3, ingestion.documentId());
        ps.setString(4, ingestion.kind());
        ps.setString(5, ingestion.contentHash());
        ps.setString(6, ingestion.userId());
        ps.setString(7, ingestion.customerId());
        ps.setLong(8, ingestion.queuedAt().toEpochMilli());
        ps.executeUpdate();
      }
      List<Appended> out = new ArrayList<>(messages.size());
      for (int i = 0; i < messages.size(); i++) {
        Appended a = insert(c, messages.get(i), dedupKeys.get(i));
        out.add(a);
        try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET ingestion_id = ? WHERE message_id = ? AND ingestion_id IS NULL")) {
          ps.setString(1, ingestion.ingestionId());
          ps.setString(2, a.messageId());
          ps.executeUpdate();
        }
      }
      return out;
    });
  }

  @Override
  public Optional<Ingestion> findIngestion(String instanceId, String kind, String documentId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT ingestion_id, instance_id, document_id, kind, content_hash, user_id, customer_id, queued_at FROM ingestions "
              + "WHERE instance_id = ? AND kind = ? AND document_id = ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, kind);
        ps.setString(3, documentId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(ingestion(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Optional<IngestionStatus> ingestionStatus(String instanceId, String ingestionId) {
    return db.read(c -> {
      Ingestion ing;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT ingestion_id, instance_id, document_id, kind, content_hash, user_id, customer_id, queued_at FROM ingestions "
              + "WHERE instance_id = ? AND ingestion_id = ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, ingestionId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return Optional.empty();
          ing = ingestion(rs);
        }
      }
      int total = 0, queued = 0, processing = 0, completed = 0, failed = 0;
      long lastDone = 0;
      String firstError = null;
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT message_id, status, error, processed_at FROM messages WHERE ingestion_id = ? ORDER BY seq")) {
        ps.setString(1, ingestionId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            total++;
            ids.add(rs.getString(1));
            switch (rs.getString(2)) {
              case "queued" -> queued++;
              case "processing" -> processing++;
              case "completed" -> completed++;
              default -> {
                failed++;
                if (firstError == null) firstError = rs.getString(3);
              }
            }
            lastDone = Math.max(lastDone, rs.getLong(4));
          }
        }
      }
      List<String> memoryIds = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT m.memory_id FROM memories m WHERE m.instance_id = ? AND EXISTS (SELECT 1 FROM json_each(m.source_message_ids) j "
              + "JOIN messages g ON g.message_id = j.value WHERE g.ingestion_id = ?) ORDER BY m.rowid")) {
        ps.setString(1, instanceId);
        ps.setString(2, ingestionId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) memoryIds.add(rs.getString(1));
        }
      }
      boolean done = total > 0 && queued == 0 && processing == 0;
      return Optional.of(new IngestionStatus(ing, total, queued, processing, completed, failed, memoryIds,
          done && lastDone > 0 ? Instant.ofEpochMilli(lastDone) : null, firstError));
    });
  }

  private static Ingestion ingestion(ResultSet rs) throws SQLException {
    return new Ingestion(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)));
  }

  private Appended insert(Connection c, Message m, String dedupKey) throws SQLException {
    PreparedStatement find = db.cached(c, "SELECT message_id FROM messages WHERE instance_id = ? AND dedup_key = ?");
    find.setString(1, m.instanceId());
    find.setString(2, dedupKey);
    try (ResultSet rs = find.executeQuery()) {
      if (rs.next()) return new Appended(rs.getString(1), true);
    }
    upsertConversation(c, m.instanceId(), m.conversationId(), m.userId(), m.customerId());
    {
      PreparedStatement ps = db.cached(c, "INSERT INTO messages (" + COLUMNS + ", dedup_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
      ps.setString(1, m.messageId());
      ps.setString(2, m.instanceId());
      ps.setString(3, m.conversationId());
      ps.setString(4, m.userId());
      ps.setString(5, m.customerId());
      ps.setString(6, m.sessionId());
      ps.setString(7, m.role());
      ps.setString(8, m.kind());
      ps.setString(9, m.content());
      ps.setString(10, JsonColumns.write(m.metadata()));
      ps.setLong(11, m.occurredAt().toEpochMilli());
      ps.setLong(12, m.recordedAt().toEpochMilli());
      ps.setString(13, dedupKey);
      ps.executeUpdate();
    }
    return new Appended(m.messageId(), false);
  }

  private void upsertConversation(Connection c, String instanceId, String conversationId, String userId, String customerId)
      throws SQLException {
    {
      PreparedStatement ps = db.cached(c,
        "INSERT INTO conversations (instance_id, conversation_id, user_id, customer_id, created_at) VALUES (?,?,?,?,?) "
            + "ON CONFLICT(instance_id, conversation_id) DO NOTHING");
      ps.setString(1, instanceId);
      ps.setString(2, conversationId);
      ps.setString(3, userId);
      ps.setString(4, customerId);
      ps.setLong(5, System.currentTimeMillis());
      ps.executeUpdate();
    }
  }

  @Override
  public void describeConversation(ConversationDetails d) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO conversation_details (instance_id, conversation_id, external_id, "
          + "conversation_type, started_at, ended_at, analysis_json) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, d.instanceId());
        ps.setString(2, d.conversationId());
        ps.setString(3, d.externalId());
        ps.setString(4, d.conversationType());
        ps.setObject(5, d.startedAt() == null ? null : d.startedAt().toEpochMilli());
        ps.setObject(6, d.endedAt() == null ? null : d.endedAt().toEpochMilli());
        ps.setString(7, d.analysisJson());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<ConversationDetails> conversationDetails(String instanceId, String conversationId) {
    return reads.conversationDetails(instanceId, conversationId);
  }

  @Override
  public List<ConversationActivity> recentConversations(String instanceId, String customerId, String userId, int limit) {
    return db.read(c -> {
      String sql = "SELECT conversation_id, MIN(occurred_at), MAX(occurred_at), COUNT(*) FROM messages WHERE instance_id = ? AND user_id = ?"
          + (customerId == null ? "" : " AND customer_id = ?") + " AND conversation_id NOT LIKE 'doc:%' GROUP BY conversation_id "
          + "ORDER BY MAX(seq) DESC LIMIT ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        ps.setString(i++, instanceId);
        ps.setString(i++, userId);
        if (customerId != null) ps.setString(i++, customerId);
        ps.setInt(i, limit);
        List<ConversationActivity> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new ConversationActivity(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void registerConversation(String instanceId, String conversationId, String userId, String customerId) {
    db.write(c -> {
      upsertConversation(c, instanceId, conversationId, userId, customerId);
      return null;
    });
  }

  @Override
  public List<Message> claimQueued(Lease lease, int max) {
    return db.write(c -> {
      List<Message> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", attempts FROM messages WHERE status = 'queued' ORDER BY seq LIMIT ?")) {
        ps.setInt(1, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            boolean triedBefore = rs.getInt(13) > 0;
            if (triedBefore && !out.isEmpty()) break;
            out.add(message(rs));
            if (triedBefore) break;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE messages SET status = 'processing', attempts = attempts + 1, lease_owner = ?, lease_until = ? WHERE message_id = ?")) {
        long until = System.currentTimeMillis() + lease.duration().toMillis();
        for (Message m : out) {
          ps.setString(1, lease.nodeId());
          ps.setLong(2, until);
          ps.setString(3, m.messageId());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return out;
    });
  }

  @Override
  public Release release(String messageId, int maxAttempts, String reason) {
    return db.write(c -> {
      int attempts;
      try (PreparedStatement ps = c.prepareStatement("SELECT attempts FROM messages WHERE message_id = ? AND status = 'processing'")) {
        ps.setString(1, messageId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return Release.NOT_IN_PROCESSING;
          attempts = rs.getInt(1);
        }
      }
      boolean giveUp = attempts >= maxAttempts;
      try (PreparedStatement ps = c.prepareStatement(giveUp
          ? "UPDATE messages SET status = 'failed', error = ?, processed_at = ? WHERE message_id = ?"
          : "UPDATE messages SET status = 'queued', error = ?, processed_at = ? WHERE message_id = ?")) {
        ps.setString(1, giveUp ? "extraction failed in " + attempts + " attempts; last error: " + reason : reason);
        if (giveUp) ps.setLong(2, System.currentTimeMillis());
        else ps.setNull(2, java.sql.Types.INTEGER);
        ps.setString(3, messageId);
        ps.executeUpdate();
      }
      return giveUp ? Release.FAILED : Release.QUEUED_AGAIN;
    });
  }

  @Override
  public MemoryChanges complete(String messageId, Function<MemoryLedger, MemoryChanges> decide) {
    MemoryChanges changes = completeAll(List.of(new Completion(messageId, decide))).getFirst();
    if (changes == null) throw new StorageException("message " + messageId + " was not completed", null);
    return changes;
  }

  @Override
  public List<MemoryChanges> completeAll(List<Completion> completions) {
    List<SqliteDatabase.Work<MemoryChanges>> units = new ArrayList<>(completions.size());
    for (Completion done : completions) units.add(c -> completeInSavepoint(c, done));
    return db.writeInBackground(units);
  }

  /** One message's completion; a failure marks that message failed and rolls back only its own changes. */
  private MemoryChanges completeInSavepoint(Connection c, Completion done) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SAVEPOINT message");
      try {
        MemoryChanges changes = completeOne(c, done);
        s.execute("RELEASE message");
        return changes;
      } catch (SQLException | RuntimeException e) {
        s.execute("ROLLBACK TO message");
        s.execute("RELEASE message");
        markFailed(c, done.messageId(), "completion failed: " + e.getMessage());
        return null;
      }
    }
  }

  /** Claims the completion first: a message already completed (a duplicate run) applies nothing. */
  private MemoryChanges completeOne(Connection c, Completion done) throws SQLException {
    PreparedStatement ps = db.cached(c,
        "UPDATE messages SET status = 'completed', processed_at = ?, error = NULL WHERE message_id = ? AND status = 'processing'");
    ps.setLong(1, System.currentTimeMillis());
    ps.setString(2, done.messageId());
    if (ps.executeUpdate() != 1) throw new SQLException("message " + done.messageId() + " was not in processing");
    MemoryChanges changes = done.decide().apply(SqliteMemoryStore.ledger(c));
    memories.apply(c, changes);
    return changes;
  }

  private static void markFailed(Connection c, String messageId, String error) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE messages SET status = 'failed', error = ?, processed_at = ? WHERE message_id = ? AND status = 'processing'")) {
      ps.setString(1, error);
      ps.setLong(2, System.currentTimeMillis());
      ps.setString(3, messageId);
      ps.executeUpdate();
    }
  }

  /** One process opens a SQLite file: whatever a start finds in processing, its holder is gone. */
  @Override
  public Resumed requeueInFlight(int maxAttempts) {
    return takeBack(maxAttempts, Long.MAX_VALUE);
  }

  @Override
  public Resumed requeueExpired(int maxAttempts) {
    return takeBack(maxAttempts, System.currentTimeMillis());
  }

  /** Takes back the messages in processing whose lease ends before {@code leasesBefore} (null leases: from before leases). */
  private Resumed takeBack(int maxAttempts, long leasesBefore) {
    return db.write(c -> {
      int failed;
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE messages SET status = 'failed', processed_at = ?, lease_owner = NULL, lease_until = NULL, "
              + "error = 'extraction was interrupted in ' || attempts "
              + "|| ' attempts (the worker or the server stopped while extracting it each time); not retried' "
              + "WHERE status = 'processing' AND attempts >= ? AND COALESCE(lease_until, 0) < ?")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setInt(2, maxAttempts);
        ps.setLong(3, leasesBefore);
        failed = ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE messages SET status = 'queued', lease_owner = NULL, lease_until = NULL WHERE status = 'processing' AND COALESCE(lease_until, 0) < ?")) {
        ps.setLong(1, leasesBefore);
        return new Resumed(ps.executeUpdate(), failed);
      }
    });
  }

  @Override
  public int renew(Lease lease) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET lease_until = ? WHERE status = 'processing' AND lease_owner = ?")) {
        ps.setLong(1, System.currentTimeMillis() + lease.duration().toMillis());
        ps.setString(2, lease.nodeId());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Optional<Status> status(String instanceId, String messageId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT status, error, (SELECT COUNT(*) FROM memories m WHERE m.instance_id = messages.instance_id "
              + "AND EXISTS (SELECT 1 FROM json_each(m.source_message_ids) WHERE value = messages.message_id)) "
              + "FROM messages WHERE instance_id = ? AND message_id = ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, messageId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new Status(messageId, rs.getString(1), rs.getString(2), rs.getInt(3))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Message> conversation(String instanceId, String conversationId, int limit) {
    return reads.conversation(instanceId, conversationId, limit);
  }

  @Override
  public List<UserSummary> users(String instanceId, String search, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT user_id, max(customer_id), count(*), count(DISTINCT conversation_id), max(recorded_at) "
          + "FROM messages WHERE instance_id = ? AND user_id IS NOT NULL AND (? IS NULL OR instr(lower(user_id), lower(?)) > 0) "
          + "GROUP BY user_id, customer_id ORDER BY max(recorded_at) DESC LIMIT ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, search);
        ps.setString(3, search);
        ps.setInt(4, limit);
        List<UserSummary> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new UserSummary(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), java.time.Instant.ofEpochMilli(rs.getLong(5))));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<ConversationSummary> conversations(String instanceId, String userId, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT m.conversation_id, v.user_id, v.customer_id, count(*), min(m.occurred_at), max(m.occurred_at) "
          + "FROM messages m LEFT JOIN conversations v ON v.instance_id = m.instance_id AND v.conversation_id = m.conversation_id "
          + "WHERE m.instance_id = ? AND (? IS NULL OR m.conversation_id IN (SELECT conversation_id FROM messages WHERE instance_id = ? AND user_id = ?)) "
          + "GROUP BY m.conversation_id ORDER BY max(m.occurred_at) DESC LIMIT ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, userId);
        ps.setString(3, instanceId);
        ps.setString(4, userId);
        ps.setInt(5, limit);
        List<ConversationSummary> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new ConversationSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                java.time.Instant.ofEpochMilli(rs.getLong(5)), java.time.Instant.ofEpochMilli(rs.getLong(6))));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<Message> byUser(String instanceId, String userId, int limit) {
    return reads.byUser(instanceId, userId, limit);
  }

  @Override
  public List<Message> recent(String instanceId, int limit) {
    return reads.recent(instanceId, limit);
  }

  @Override
  public long queueDepth() {
    return reads.queueDepth();
  }

  // In byIds and preceding, "+instance_id" keeps SQLite on the unique message_id index instead of
  // an (instance_id, ...) index that would scan the whole instance.
  @Override
  public List<Message> byIds(String instanceId, Collection<String> messageIds) {
    if (messageIds.isEmpty()) return List.of();
    List<String> ids = List.copyOf(new LinkedHashSet<>(messageIds));
    String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM messages WHERE +instance_id = ? AND message_id IN (" + marks + ")")) {
        ps.setString(1, instanceId);
        for (int i = 0; i < ids.size(); i++) ps.setString(i + 2, ids.get(i));
        return list(ps);
      }
    });
  }

  @Override
  public List<Message> preceding(String instanceId, String messageId, int limit) {
    return db.read(c -> {
      // "IS" rather than "=" so that turns without a session id still find each other.
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + PREVIOUS_COLUMNS + " FROM messages t JOIN messages p ON p.instance_id = t.instance_id "
              + "AND p.conversation_id = t.conversation_id AND p.session_id IS t.session_id AND p.seq < t.seq "
              + "WHERE +t.instance_id = ? AND t.message_id = ? ORDER BY p.seq DESC LIMIT ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, messageId);
        ps.setInt(3, limit);
        List<Message> out = list(ps);
        Collections.reverse(out);
        return out;
      }
    });
  }


}
