package dev.synap.core.store.jdbc;

import dev.synap.core.store.MemoryStore.HistoryEntry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The memory reads whose SQL is the same for every JDBC store; each store's memory store hands them over. */
public final class JdbcMemoryReads {
  private final JdbcAccess db;

  public JdbcMemoryReads(JdbcAccess db) {
    this.db = db;
  }

  public long count(String instanceId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM memories WHERE instance_id = ?")) {
        ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }
    });
  }

  public List<HistoryEntry> history(String instanceId, String memoryId) {
    return db.read(c -> {
      List<HistoryEntry> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT action, content, status, at FROM memory_history WHERE instance_id = ? AND memory_id = ? ORDER BY seq")) {
        ps.setString(1, instanceId);
        ps.setString(2, memoryId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(new HistoryEntry(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
        }
      }
      return out;
    });
  }

  public long changePosition() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM memory_history"); ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }
}
