package dev.synap.core.store.jdbc;

import static dev.synap.core.store.jdbc.JdbcRows.instant;

import dev.synap.core.store.MemoryConfigStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Memory configuration versions, the same SQL for every JDBC store. */
public final class JdbcMemoryConfigStore implements MemoryConfigStore {
  private static final String COLUMNS = "SELECT instance_id, version, status, body, source, review_flags, created_at, created_by, reason, "
      + "activated_at, apply_mode FROM memory_configs";
  private final JdbcAccess db;

  public JdbcMemoryConfigStore(JdbcAccess db) {
    this.db = db;
  }

  @Override
  public Version add(String instanceId, String status, String body, String source, String reviewFlags, String createdBy, String reason) {
    long now = System.currentTimeMillis();
    int version = db.write(c -> {
      int next;
      try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) + 1 FROM memory_configs WHERE instance_id = ?")) {
        ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          next = rs.getInt(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO memory_configs (instance_id, version, status, body, source, review_flags, "
          + "created_at, created_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, instanceId);
        ps.setInt(2, next);
        ps.setString(3, status);
        ps.setString(4, body);
        ps.setString(5, source);
        ps.setString(6, reviewFlags);
        ps.setLong(7, now);
        ps.setString(8, createdBy);
        ps.setString(9, reason);
        ps.executeUpdate();
      }
      return next;
    });
    return get(instanceId, version).orElseThrow();
  }

  @Override
  public Optional<Version> get(String instanceId, int version) {
    return one(COLUMNS + " WHERE instance_id = ? AND version = ?", instanceId, version);
  }

  @Override
  public Optional<Version> active(String instanceId) {
    return one(COLUMNS + " WHERE instance_id = ? AND status = 'active'", instanceId, null);
  }

  private Optional<Version> one(String sql, String instanceId, Integer version) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, instanceId);
        if (version != null) ps.setInt(2, version);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(version(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Version> list(String instanceId) {
    return many(COLUMNS + " WHERE instance_id = ? ORDER BY version DESC", instanceId);
  }

  @Override
  public List<Version> allActive() {
    return many(COLUMNS + " WHERE status = 'active'", null);
  }

  private List<Version> many(String sql, String instanceId) {
    return db.read(c -> {
      List<Version> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        if (instanceId != null) ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(version(rs));
        }
      }
      return out;
    });
  }

  @Override
  public boolean updateDraft(String instanceId, int version, String body, String reviewFlags) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE memory_configs SET body = ?, review_flags = ? WHERE instance_id = ? AND version = ? AND status = 'pending_review'")) {
        ps.setString(1, body);
        ps.setString(2, reviewFlags);
        ps.setString(3, instanceId);
        ps.setInt(4, version);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public void activate(String instanceId, int version, String applyMode, Instant at) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE memory_configs SET status = 'superseded' WHERE instance_id = ? AND status = 'active'")) {
        ps.setString(1, instanceId);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE memory_configs SET status = 'active', activated_at = ?, apply_mode = ? WHERE instance_id = ? AND version = ?")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setString(2, applyMode);
        ps.setString(3, instanceId);
        ps.setInt(4, version);
        return ps.executeUpdate();
      }
    });
  }

  private static Version version(ResultSet rs) throws SQLException {
    return new Version(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), instant(rs, 7),
        rs.getString(8), rs.getString(9), instant(rs, 10), rs.getString(11));
  }
}
