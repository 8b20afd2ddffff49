package dev.synap.core.store.jdbc;

import static dev.synap.core.store.jdbc.JdbcRows.instant;

import dev.synap.core.control.AdminKeyInfo;
import dev.synap.core.control.AuditEntry;
import dev.synap.core.store.ControlStore;
import dev.synap.core.tenant.ApiKeys;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Admin keys and the audit log, the same SQL for every JDBC store. */
public final class JdbcControlStore implements ControlStore {
  /** How a store hands back the id its insert generated: the SQL differs, the id does not. */
  public enum GeneratedId {
    /** {@code INSERT ... RETURNING id}, read as a query (PostgreSQL). */
    RETURNING,
    /** The driver's generated keys (SQLite's last row id). */
    GENERATED_KEYS
  }

  private static final String ADMIN_COLUMNS = "SELECT key_id, key_prefix, label, created_at, last_used_at, revoked_at FROM admin_keys";
  private final JdbcAccess db;
  private final GeneratedId generatedId;

  public JdbcControlStore(JdbcAccess db, GeneratedId generatedId) {
    this.db = db;
    this.generatedId = generatedId;
  }

  @Override
  public AdminKeyInfo addAdminKey(String keyHash, String displayPrefix, String label) {
    String keyId = "adm_" + ApiKeys.newKeyId().substring(4);
    long now = System.currentTimeMillis();
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO admin_keys (key_id, key_hash, key_prefix, label, created_at) VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, keyId);
        ps.setString(2, keyHash);
        ps.setString(3, displayPrefix);
        ps.setString(4, label);
        ps.setLong(5, now);
        return ps.executeUpdate();
      }
    });
    return new AdminKeyInfo(keyId, displayPrefix, label, Instant.ofEpochMilli(now), null, null);
  }

  @Override
  public Optional<AdminKeyInfo> authenticateAdmin(String keyHash) {
    Optional<AdminKeyInfo> found = db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(ADMIN_COLUMNS + " WHERE key_hash = ? AND revoked_at IS NULL")) {
        ps.setString(1, keyHash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(admin(rs)) : Optional.empty();
        }
      }
    });
    found.filter(k -> k.lastUsedAt() == null || k.lastUsedAt().isBefore(Instant.now().minusSeconds(60))).ifPresent(k -> db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE admin_keys SET last_used_at = ? WHERE key_id = ?")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, k.keyId());
        return ps.executeUpdate();
      }
    }));
    return found;
  }

  @Override
  public List<AdminKeyInfo> adminKeys() {
    return db.read(c -> {
      List<AdminKeyInfo> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(ADMIN_COLUMNS + " ORDER BY created_at"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(admin(rs));
      }
      return out;
    });
  }

  @Override
  public boolean revokeAdminKey(String keyIdOrPrefix) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE admin_keys SET revoked_at = ? WHERE (key_id = ? OR key_prefix = ?) AND revoked_at IS NULL")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, keyIdOrPrefix);
        ps.setString(3, keyIdOrPrefix);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public long audit(String actor, String instanceId, String action, String target, Map<String, Object> detail) {
    return db.write(c -> {
      String sql = "INSERT INTO audit_log (at, actor, instance_id, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)";
      boolean returning = generatedId == GeneratedId.RETURNING;
      try (PreparedStatement ps = returning ? c.prepareStatement(sql + " RETURNING id") : c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, actor);
        ps.setString(3, instanceId);
        ps.setString(4, action);
        ps.setString(5, target);
        ps.setString(6, JsonColumns.write(detail == null ? Map.of() : detail));
        try (ResultSet rs = returning ? ps.executeQuery() : generatedKeys(ps)) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public List<AuditEntry> auditLog(String instanceId, long beforeId, int limit) {
    return db.read(c -> {
      List<AuditEntry> out = new ArrayList<>();
      String sql = "SELECT id, at, actor, instance_id, action, target, detail FROM audit_log WHERE id < ?"
          + (instanceId == null ? "" : " AND instance_id = ?") + " ORDER BY id DESC LIMIT ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        ps.setLong(i++, beforeId <= 0 ? Long.MAX_VALUE : beforeId);
        if (instanceId != null) ps.setString(i++, instanceId);
        ps.setInt(i, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new AuditEntry(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                JsonColumns.objectMap(rs.getString(7))));
          }
        }
      }
      return out;
    });
  }

  private static AdminKeyInfo admin(ResultSet rs) throws SQLException {
    return new AdminKeyInfo(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5), instant(rs, 6));
  }

  private static ResultSet generatedKeys(PreparedStatement ps) throws SQLException {
    ps.executeUpdate();
    return ps.getGeneratedKeys();
  }
}
