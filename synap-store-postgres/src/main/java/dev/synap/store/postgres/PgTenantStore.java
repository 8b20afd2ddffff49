package dev.synap.store.postgres;

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
import java.util.Optional;

final class PgTenantStore implements TenantStore {
  private final PgDatabase db;

  PgTenantStore(PgDatabase db) {
    this.db = db;
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
          "INSERT INTO instances (instance_id, client_id, relationship_mode, created_at) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, instance.instanceId());
        ps.setString(2, instance.clientId());
        ps.setString(3, mode.wireName());
        ps.setLong(4, now);
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
  public ApiKeyInfo addKey(String instanceId, String keyHash, String displayPrefix, String label) {
    String keyId = ApiKeys.newKeyId();
    long now = System.currentTimeMillis();
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO api_keys (key_id, instance_id, key_hash, key_prefix, label, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, keyId);
        ps.setString(2, instanceId);
        ps.setString(3, keyHash);
        ps.setString(4, displayPrefix);
        ps.setString(5, label);
        ps.setLong(6, now);
        return ps.executeUpdate();
      }
    });
    return new ApiKeyInfo(keyId, instanceId, displayPrefix, label, Instant.ofEpochMilli(now), null, null);
  }

  @Override
  public Optional<Instance> authenticate(String keyHash) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT i.instance_id, i.client_id, i.relationship_mode FROM api_keys k JOIN instances i ON i.instance_id = k.instance_id "
              + "WHERE k.key_hash = ? AND k.revoked_at IS NULL")) {
        ps.setString(1, keyHash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(instance(rs)) : Optional.empty();
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

  @Override
  public List<ApiKeyInfo> keys(String instanceId) {
    return db.read(c -> {
      String sql = "SELECT key_id, instance_id, key_prefix, label, created_at, last_used_at, revoked_at FROM api_keys"
          + (instanceId == null ? "" : " WHERE instance_id = ?") + " ORDER BY created_at, key_id";
      List<ApiKeyInfo> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        if (instanceId != null) ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new ApiKeyInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                instant(rs, 5), instant(rs, 6), instant(rs, 7)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public boolean revokeKey(String keyIdOrPrefix) {
    long now = System.currentTimeMillis();
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE api_keys SET revoked_at = ? WHERE (key_id = ? OR key_prefix = ?) AND revoked_at IS NULL")) {
        ps.setLong(1, now);
        ps.setString(2, keyIdOrPrefix);
        ps.setString(3, keyIdOrPrefix);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<String> revokedKeyHashes() {
    return db.read(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT key_hash FROM api_keys WHERE revoked_at IS NOT NULL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
      return out;
    });
  }

  private static Instance instance(ResultSet rs) throws SQLException {
    return new Instance(rs.getString(1), rs.getString(2), RelationshipMode.parse(rs.getString(3)).orElseThrow());
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
