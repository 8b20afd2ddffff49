package dev.synap.core.store.jdbc;

import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionResult;
import dev.synap.core.compact.KeyExtractions;
import dev.synap.core.compact.Strategy;
import dev.synap.core.store.CompactionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/** Compaction jobs, the same SQL for every JDBC store but for how a start is guarded and what counts as the latest job. */
public final class JdbcCompactionStore implements CompactionStore {
  /**
   * @param latestOrder ORDER BY of {@link #latest}: how jobs started in the same millisecond are told apart
   * @param sharedByNodes several nodes run jobs on this store: a unique index (not a check on one
   *     writer) decides a start, and only jobs older than {@link #ABANDONED_AFTER_MS} count as interrupted
   */
  public record Dialect(String latestOrder, boolean sharedByNodes) {}

  private static final String COLUMNS = "compaction_id, instance_id, conversation_id, user_id, version, status, trigger_type, "
      + "strategy_requested, strategy_used, target_tokens, original_tokens, compacted_tokens, validation_score, quality_warning, "
      + "summarizer, summary, current_state_json, key_extractions_json, messages_compacted, cutoff_message_id, cutoff_at, error, "
      + "initiated_at, completed_at";
  private final JdbcAccess db;
  private final Dialect dialect;

  public JdbcCompactionStore(JdbcAccess db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  @Override
  public boolean start(Compaction job) {
    return dialect.sharedByNodes() ? startShared(job) : startOnOneWriter(job);
  }

  /**
   * A running job older than this was abandoned by a node that stopped: compactions take seconds
   * (the extractive summarizer) to tens of seconds (an LLM summarizer with its 30 s timeout).
   */
  public static final long ABANDONED_AFTER_MS = 5 * 60_000;
  private static final String INTERRUPTED = "interrupted: the node running it stopped";

  /** The partial unique index on running jobs decides, so two nodes starting at once cannot both win. */
  private boolean startShared(Compaction job) {
    return db.write(c -> {
      // A job left running by a node that died would hold the conversation's slot for good: one
      // older than any compaction takes is failed first (nodes share this store; see failInterrupted).
      try (PreparedStatement ps = c.prepareStatement("UPDATE compactions SET status = 'failed', error = ?, completed_at = ? "
          + "WHERE instance_id = ? AND conversation_id = ? AND status = 'in_progress' AND COALESCE(claimed_at, initiated_at) < ?")) {
        long now = System.currentTimeMillis();
        ps.setString(1, INTERRUPTED);
        ps.setLong(2, now);
        ps.setString(3, job.instanceId());
        ps.setString(4, job.conversationId());
        ps.setLong(5, now - ABANDONED_AFTER_MS);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO compactions (compaction_id, instance_id, conversation_id, user_id, status, "
          + "trigger_type, strategy_requested, target_tokens, initiated_at, claimed_at) VALUES (?,?,?,?,?,?,?,?,?,?) "
          + "ON CONFLICT (instance_id, conversation_id) WHERE status = 'in_progress' DO NOTHING")) {
        bindStart(ps, job);
        ps.setLong(10, System.currentTimeMillis());
        return ps.executeUpdate() == 1;
      }
    });
  }

  private boolean startOnOneWriter(Compaction job) {
    // Check and insert run on the single writer, so no other start can slip in between.
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM compactions WHERE instance_id = ? AND conversation_id = ? AND status = 'in_progress'")) {
        ps.setString(1, job.instanceId());
        ps.setString(2, job.conversationId());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO compactions (compaction_id, instance_id, conversation_id, user_id, status, "
          + "trigger_type, strategy_requested, target_tokens, initiated_at) VALUES (?,?,?,?,?,?,?,?,?)")) {
        bindStart(ps, job);
        ps.executeUpdate();
      }
      return true;
    });
  }

  /** The nine columns both kinds of start insert first. */
  private static void bindStart(PreparedStatement ps, Compaction job) throws SQLException {
    ps.setString(1, job.compactionId());
    ps.setString(2, job.instanceId());
    ps.setString(3, job.conversationId());
    ps.setString(4, job.userId());
    ps.setString(5, Compaction.IN_PROGRESS);
    ps.setString(6, job.trigger());
    ps.setString(7, job.strategyRequested() == null ? null : job.strategyRequested().wireName());
    if (job.targetTokens() == null) ps.setNull(8, Types.INTEGER);
    else ps.setInt(8, job.targetTokens());
    ps.setLong(9, job.initiatedAt().toEpochMilli());
  }

  @Override
  public Compaction complete(String compactionId, CompactionResult r, Instant at) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE compactions SET status = 'completed', version = "
          + "(SELECT COALESCE(MAX(o.version), 0) + 1 FROM compactions o WHERE o.instance_id = compactions.instance_id "
          + "AND o.conversation_id = compactions.conversation_id), strategy_used = ?, original_tokens = ?, compacted_tokens = ?, "
          + "validation_score = ?, quality_warning = ?, summarizer = ?, summary = ?, current_state_json = ?, key_extractions_json = ?, "
          + "messages_compacted = ?, cutoff_message_id = ?, cutoff_at = ?, completed_at = ? WHERE compaction_id = ?")) {
        ps.setString(1, r.strategyUsed().wireName());
        ps.setInt(2, r.originalTokens());
        ps.setInt(3, r.compactedTokens());
        ps.setDouble(4, r.validationScore());
        ps.setInt(5, r.qualityWarning() ? 1 : 0);
        ps.setString(6, r.summarizer());
        ps.setString(7, r.summary());
        ps.setString(8, JsonColumns.write(r.currentState()));
        ps.setString(9, JsonColumns.write(r.keyExtractions().toMap()));
        ps.setInt(10, r.messagesCompacted());
        ps.setString(11, r.cutoffMessageId());
        ps.setLong(12, r.cutoffAt().toEpochMilli());
        ps.setLong(13, at.toEpochMilli());
        ps.setString(14, compactionId);
        ps.executeUpdate();
      }
      return null;
    });
    return one("compaction_id = ?", compactionId).orElseThrow();
  }

  @Override
  public void fail(String compactionId, String error, Instant at) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE compactions SET status = 'failed', error = ?, completed_at = ? WHERE compaction_id = ?")) {
        ps.setString(1, error);
        ps.setLong(2, at.toEpochMilli());
        ps.setString(3, compactionId);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<Compaction> latest(String instanceId, String conversationId) {
    return one("instance_id = ? AND conversation_id = ? ORDER BY " + dialect.latestOrder(), instanceId, conversationId);
  }

  @Override
  public Optional<Compaction> latestCompleted(String instanceId, String conversationId) {
    return one("instance_id = ? AND conversation_id = ? AND status = 'completed' ORDER BY version DESC", instanceId, conversationId);
  }

  @Override
  public Optional<Compaction> version(String instanceId, String conversationId, int version) {
    return one("instance_id = ? AND conversation_id = ? AND status = 'completed' AND version = ?", instanceId, conversationId, version);
  }

  @Override
  public int failInterrupted(String reason) {
    // With other nodes on the store their running jobs are alive: a starting node fails only jobs older than any compaction takes.
    String sql = "UPDATE compactions SET status = 'failed', error = ?, completed_at = ? WHERE status = 'in_progress'"
        + (dialect.sharedByNodes() ? " AND COALESCE(claimed_at, initiated_at) < ?" : "");
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        long now = System.currentTimeMillis();
        ps.setString(1, reason);
        ps.setLong(2, now);
        if (dialect.sharedByNodes()) ps.setLong(3, now - ABANDONED_AFTER_MS);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public java.util.List<Compaction> all(String instanceId, String conversationId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM compactions WHERE instance_id = ? AND conversation_id = ? ORDER BY initiated_at DESC, compaction_id")) {
        ps.setString(1, instanceId);
        ps.setString(2, conversationId);
        java.util.List<Compaction> out = new java.util.ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(row(rs));
        }
        return out;
      }
    });
  }

  private Optional<Compaction> one(String where, Object... args) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM compactions WHERE " + where + " LIMIT 1")) {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
      }
    });
  }

  private static Compaction row(ResultSet rs) throws SQLException {
    String status = rs.getString("status");
    CompactionResult result = null;
    if (Compaction.COMPLETED.equals(status)) {
      result = new CompactionResult(Strategy.parse(rs.getString("strategy_used")), rs.getInt("original_tokens"), rs.getInt("compacted_tokens"),
          rs.getDouble("validation_score"), rs.getInt("quality_warning") == 1, rs.getString("summarizer"), rs.getString("summary"),
          JsonColumns.objectMap(rs.getString("current_state_json")), KeyExtractions.fromMap(JsonColumns.objectMap(rs.getString("key_extractions_json"))),
          rs.getInt("messages_compacted"), rs.getString("cutoff_message_id"), Instant.ofEpochMilli(rs.getLong("cutoff_at")));
    }
    String requested = rs.getString("strategy_requested");
    int version = rs.getInt("version");
    Integer versionOrNull = rs.wasNull() ? null : version;
    int target = rs.getInt("target_tokens");
    Integer targetOrNull = rs.wasNull() ? null : target;
    long completed = rs.getLong("completed_at");
    Instant completedAt = rs.wasNull() ? null : Instant.ofEpochMilli(completed);
    return new Compaction(rs.getString("compaction_id"), rs.getString("instance_id"), rs.getString("conversation_id"), rs.getString("user_id"),
        rs.getString("trigger_type"), requested == null ? null : Strategy.parse(requested), targetOrNull,
        Instant.ofEpochMilli(rs.getLong("initiated_at")), status, versionOrNull, completedAt, rs.getString("error"), result);
  }
}
