package dev.synap.core.store.jdbc;

import static dev.synap.core.store.jdbc.JdbcRows.instant;

import dev.synap.core.control.InstanceInfo;
import dev.synap.core.control.KeyGrant;
import dev.synap.core.control.Permission;
import dev.synap.core.store.TenantStore;
import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.ApiKeys;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.RelationshipMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Clients, instances and their API keys, the same SQL for every JDBC store but for how an instance's rows are found and removed. */
public final class JdbcTenantStore implements TenantStore {
  /**
   * @param beforeInstanceDelete run first in an instance deletion's transaction (SQLite defers its
   *     foreign key checks to the commit, when every row is gone), or null
   * @param instanceTables SQL listing every table but {@code instances} and {@code audit_log} (which
   *     outlives what it describes) that has an {@code instance_id} column, found from the schema so
   *     tables added later are covered too; in an order the deletion can follow (referencing rows first)
   *     unless the checks are deferred
   */
  public record Dialect(String beforeInstanceDelete, String instanceTables) {}

  private final JdbcAccess db;
  private final Dialect dialect;

  public JdbcTenantStore(JdbcAccess db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  @Override
  public Instance createInstance(String clientName, RelationshipMode mode) {
    Instance instance = new Instance(ApiKeys.newInstanceId(), ApiKeys.newClientId(), mode);
    long now = System.currentTimeMillis();
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO clients (client_id, name, created_at) VALUES (?, ?, ?)")) {
        ps.setString(1, instance.clientId());
        ps.setString(2, clientName);
        ps.setLong(3, now);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO instances (instance_id, client_id, relationship_mode, created_at, name, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, instance.instanceId());
        ps.setString(2, instance.clientId());
        ps.setString(3, mode.wireName());
        ps.setLong(4, now);
        ps.setString(5, clientName);
        ps.setLong(6, now);
        ps.executeUpdate();
      }
      return instance;
    });
  }

  @Override
  public Optional<Instance> findInstance(String instanceId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT instance_id, client_id, relationship_mode FROM instances WHERE instance_id = ?")) {
        ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(instance(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Instance> instances() {
    return db.read(c -> {
      List<Instance> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT instance_id, client_id, relationship_mode FROM instances ORDER BY created_at, instance_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(instance(rs));
      }
      return out;
    });
  }

  @Override
  public ApiKeyInfo addKey(String instanceId, String keyHash, String displayPrefix, String label, Set<Permission> permissions, Instant expiresAt) {
    String keyId = ApiKeys.newKeyId();
    long now = System.currentTimeMillis();
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO api_keys (key_id, instance_id, key_hash, key_prefix, label, created_at, permissions, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, keyId);
        ps.setString(2, instanceId);
        ps.setString(3, keyHash);
        ps.setString(4, displayPrefix);
        ps.setString(5, label);
        ps.setLong(6, now);
        ps.setString(7, Permission.encode(permissions));
        if (expiresAt == null) ps.setNull(8, java.sql.Types.INTEGER);
        else ps.setLong(8, expiresAt.toEpochMilli());
        return ps.executeUpdate();
      }
    });
    return new ApiKeyInfo(keyId, instanceId, displayPrefix, label, Instant.ofEpochMilli(now), null, null, permissions, expiresAt);
  }

  @Override
  public Optional<ApiKeyInfo> key(String keyId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(KEY_COLUMNS + " WHERE key_id = ?")) {
        ps.setString(1, keyId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(keyInfo(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void expireKey(String keyId, Instant at) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE api_keys SET expires_at = ? WHERE key_id = ? AND (expires_at IS NULL OR expires_at > ?)")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setString(2, keyId);
        ps.setLong(3, at.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Optional<KeyGrant> grant(String keyHash) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT i.instance_id, i.client_id, i.relationship_mode, k.key_id, k.permissions, i.status, k.expires_at FROM api_keys k "
              + "JOIN instances i ON i.instance_id = k.instance_id "
              + "WHERE k.key_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)")) {
        ps.setString(1, keyHash);
        ps.setLong(2, System.currentTimeMillis());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return Optional.empty();
          return Optional.of(new KeyGrant(instance(rs), rs.getString(4), Permission.decode(rs.getString(5)),
              InstanceInfo.ARCHIVED.equals(rs.getString(6)), instant(rs, 7)));
        }
      }
    });
  }

  @Override
  public void touch(String keyHash) {
    long now = System.currentTimeMillis();
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE api_keys SET last_used_at = ? WHERE key_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
        ps.setLong(1, now);
        ps.setString(2, keyHash);
        ps.setLong(3, now - 60_000);
        return ps.executeUpdate();
      }
    });
  }

  private static final String KEY_COLUMNS =
      "SELECT key_id, instance_id, key_prefix, label, created_at, last_used_at, revoked_at, permissions, expires_at FROM api_keys";

  private static ApiKeyInfo keyInfo(ResultSet rs) throws SQLException {
    return new ApiKeyInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        instant(rs, 5), instant(rs, 6), instant(rs, 7), Permission.decode(rs.getString(8)), instant(rs, 9));
  }

  @Override
  public List<ApiKeyInfo> keys(String instanceId) {
    return db.read(c -> {
      String sql = KEY_COLUMNS + (instanceId == null ? "" : " WHERE instance_id = ?") + " ORDER BY created_at, key_id";
      List<ApiKeyInfo> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        if (instanceId != null) ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(keyInfo(rs));
        }
      }
      return out;
    });
  }

  @Override
  public boolean revokeKey(String keyIdOrPrefix) {
    return db.update("UPDATE api_keys SET revoked_at = ? WHERE (key_id = ? OR key_prefix = ?) AND revoked_at IS NULL",
        System.currentTimeMillis(), keyIdOrPrefix, keyIdOrPrefix) > 0;
  }

  @Override
  public List<String> revokedKeyHashes() {
    return db.read(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT key_hash FROM api_keys WHERE revoked_at IS NOT NULL OR expires_at <= ?")) {
        ps.setLong(1, System.currentTimeMillis());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  private static final String INFO_COLUMNS = "SELECT instance_id, client_id, relationship_mode, name, description, metadata_json, status, "
      + "created_at, updated_at, archived_at FROM instances";

  private static InstanceInfo info(ResultSet rs) throws SQLException {
    return new InstanceInfo(rs.getString(1), rs.getString(2), RelationshipMode.parse(rs.getString(3)).orElseThrow(), rs.getString(4),
        rs.getString(5), JsonColumns.objectMap(rs.getString(6)), rs.getString(7), instant(rs, 8), instant(rs, 9), instant(rs, 10));
  }

  @Override
  public InstanceInfo createInstance(String clientId, String name, String description, Map<String, Object> metadata, RelationshipMode mode) {
    String id = ApiKeys.newInstanceId();
    long now = System.currentTimeMillis();
    db.write(c -> {
      String client = clientId;
      if (client == null) {
        try (PreparedStatement ps = c.prepareStatement("SELECT client_id FROM clients ORDER BY created_at LIMIT 1"); ResultSet rs = ps.executeQuery()) {
          client = rs.next() ? rs.getString(1) : null;
        }
      }
      if (client == null) {
        client = ApiKeys.newClientId();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clients (client_id, name, created_at) VALUES (?, ?, ?)")) {
          ps.setString(1, client);
          ps.setString(2, "default");
          ps.setLong(3, now);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO instances (instance_id, client_id, relationship_mode, created_at, name, "
          + "description, metadata_json, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?)")) {
        ps.setString(1, id);
        ps.setString(2, client);
        ps.setString(3, mode.wireName());
        ps.setLong(4, now);
        ps.setString(5, name);
        ps.setString(6, description);
        ps.setString(7, JsonColumns.write(metadata == null ? Map.of() : metadata));
        ps.setLong(8, now);
        return ps.executeUpdate();
      }
    });
    return instanceInfo(id).orElseThrow();
  }

  @Override
  public Optional<InstanceInfo> instanceInfo(String instanceId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(INFO_COLUMNS + " WHERE instance_id = ?")) {
        ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(info(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<InstanceInfo> instanceInfos(boolean includeArchived, int offset, int limit) {
    return db.read(c -> {
      List<InstanceInfo> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(INFO_COLUMNS + (includeArchived ? "" : " WHERE status = 'active'")
          + " ORDER BY created_at, instance_id LIMIT ? OFFSET ?")) {
        ps.setInt(1, limit);
        ps.setInt(2, offset);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(info(rs));
        }
      }
      return out;
    });
  }

  @Override
  public long instanceCount(boolean includeArchived) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM instances" + (includeArchived ? "" : " WHERE status = 'active'"));
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public Optional<InstanceInfo> updateInstance(String instanceId, String name, String description, Map<String, Object> metadata) {
    int n = db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE instances SET name = coalesce(?, name), description = coalesce(?, description), "
          + "metadata_json = coalesce(?, metadata_json), updated_at = ? WHERE instance_id = ?")) {
        ps.setString(1, name);
        ps.setString(2, description);
        ps.setString(3, metadata == null ? null : JsonColumns.write(metadata));
        ps.setLong(4, System.currentTimeMillis());
        ps.setString(5, instanceId);
        return ps.executeUpdate();
      }
    });
    return n == 0 ? Optional.empty() : instanceInfo(instanceId);
  }

  @Override
  public boolean archiveInstance(String instanceId) {
    long now = System.currentTimeMillis();
    return db.update("UPDATE instances SET status = 'archived', archived_at = ?, updated_at = ? WHERE instance_id = ? AND status = 'active'",
        now, now, instanceId) > 0;
  }

  @Override
  public boolean deleteInstance(String instanceId) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM instances WHERE instance_id = ? AND status = 'archived'")) {
        ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return false;
        }
      }
      if (dialect.beforeInstanceDelete() != null) {
        try (java.sql.Statement st = c.createStatement()) {
          st.execute(dialect.beforeInstanceDelete());
        }
      }
      List<String> tables = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(dialect.instanceTables()); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String table : tables) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM \"" + table + "\" WHERE instance_id = ?")) {
          ps.setString(1, instanceId);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM instances WHERE instance_id = ?")) {
        ps.setString(1, instanceId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Instant lastActive(String instanceId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT max(last_used_at) FROM api_keys WHERE instance_id = ?")) {
        ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? instant(rs, 1) : null;
        }
      }
    });
  }

  private static Instance instance(ResultSet rs) throws SQLException {
    return new Instance(rs.getString(1), rs.getString(2), RelationshipMode.parse(rs.getString(3)).orElseThrow());
  }
}
