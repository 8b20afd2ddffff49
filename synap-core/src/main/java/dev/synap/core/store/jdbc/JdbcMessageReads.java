package dev.synap.core.store.jdbc;

import dev.synap.core.model.Message;
import dev.synap.core.store.MessageStore.ConversationDetails;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The message reads whose SQL is the same for every JDBC store; each store's message store hands
 * them over and keeps what differs (appends, queue claims, JSON and array queries).
 */
public final class JdbcMessageReads {
  public static final String COLUMNS =
      "message_id, instance_id, conversation_id, user_id, customer_id, session_id, role, kind, content, metadata_json, occurred_at, recorded_at";
  private final JdbcAccess db;

  public JdbcMessageReads(JdbcAccess db) {
    this.db = db;
  }

  public Optional<ConversationDetails> conversationDetails(String instanceId, String conversationId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT external_id, conversation_type, started_at, ended_at, analysis_json "
          + "FROM conversation_details WHERE instance_id = ? AND conversation_id = ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, conversationId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return Optional.<ConversationDetails>empty();
          long started = rs.getLong(3);
          Instant startedAt = rs.wasNull() ? null : Instant.ofEpochMilli(started);
          long ended = rs.getLong(4);
          Instant endedAt = rs.wasNull() ? null : Instant.ofEpochMilli(ended);
          return Optional.of(new ConversationDetails(instanceId, conversationId, rs.getString(1), rs.getString(2), startedAt, endedAt,
              rs.getString(5)));
        }
      }
    });
  }

  public List<Message> conversation(String instanceId, String conversationId, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM messages WHERE instance_id = ? AND conversation_id = ? ORDER BY seq DESC LIMIT ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, conversationId);
        ps.setInt(3, limit);
        List<Message> out = list(ps);
        Collections.reverse(out);
        return out;
      }
    });
  }

  public List<Message> byUser(String instanceId, String userId, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM messages WHERE instance_id = ? AND user_id = ? ORDER BY seq LIMIT ?")) {
        ps.setString(1, instanceId);
        ps.setString(2, userId);
        ps.setInt(3, limit);
        return list(ps);
      }
    });
  }

  public List<Message> recent(String instanceId, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM messages WHERE instance_id = ? AND kind <> 'document' ORDER BY seq DESC LIMIT ?")) {
        ps.setString(1, instanceId);
        ps.setInt(2, limit);
        return list(ps);
      }
    });
  }

  public long queueDepth() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE status IN ('queued', 'processing')");
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  /** Every row of {@code ps}, selected as {@link #COLUMNS}, as messages. */
  public static List<Message> list(PreparedStatement ps) throws SQLException {
    List<Message> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(message(rs));
    }
    return out;
  }

  /** The current row, selected as {@link #COLUMNS}, as a message. */
  public static Message message(ResultSet rs) throws SQLException {
    return new Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), rs.getString(8), rs.getString(9), JsonColumns.stringMap(rs.getString(10)),
        Instant.ofEpochMilli(rs.getLong(11)), Instant.ofEpochMilli(rs.getLong(12)));
  }
}
