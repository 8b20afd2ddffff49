package dev.synap.core.store.jdbc;

import static dev.synap.core.store.jdbc.JdbcRows.instant;

import dev.synap.core.store.WebhookStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Webhooks and their delivery queue, the same SQL for every JDBC store. */
public final class JdbcWebhookStore implements WebhookStore {
  private static final String HOOK = "SELECT webhook_id, instance_id, url, event_types, secret, description, created_at FROM webhooks";
  private static final String DELIVERY = "SELECT delivery_id, webhook_id, instance_id, event_type, payload, status, attempts, next_attempt_at, "
      + "last_status_code, last_error, created_at, delivered_at, test FROM webhook_deliveries";
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  private final JdbcAccess db;

  public JdbcWebhookStore(JdbcAccess db) {
    this.db = db;
  }

  @Override
  public Webhook add(String instanceId, String url, List<String> eventTypes, String secret, String description) {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    String id = "wh_" + HexFormat.of().formatHex(b);
    long now = System.currentTimeMillis();
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO webhooks (webhook_id, instance_id, url, event_types, secret, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, instanceId);
        ps.setString(3, url);
        ps.setString(4, String.join(",", eventTypes));
        ps.setString(5, secret);
        ps.setString(6, description);
        ps.setLong(7, now);
        return ps.executeUpdate();
      }
    });
    return get(id).orElseThrow();
  }

  @Override
  public Optional<Webhook> get(String webhookId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(HOOK + " WHERE webhook_id = ? AND deleted_at IS NULL")) {
        ps.setString(1, webhookId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(hook(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Webhook> list(String instanceId) {
    return db.read(c -> {
      List<Webhook> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(HOOK + " WHERE deleted_at IS NULL" + (instanceId == null ? "" : " AND instance_id = ?")
          + " ORDER BY created_at")) {
        if (instanceId != null) ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(hook(rs));
        }
      }
      return out;
    });
  }

  @Override
  public boolean delete(String webhookId) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE webhooks SET deleted_at = ? WHERE webhook_id = ? AND deleted_at IS NULL")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, webhookId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public void enqueue(Delivery d) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (delivery_id, webhook_id, instance_id, event_type, payload, "
          + "status, attempts, next_attempt_at, created_at, test) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)")) {
        ps.setString(1, d.deliveryId());
        ps.setString(2, d.webhookId());
        ps.setString(3, d.instanceId());
        ps.setString(4, d.eventType());
        ps.setString(5, d.payload());
        ps.setLong(6, d.nextAttemptAt().toEpochMilli());
        ps.setLong(7, d.createdAt().toEpochMilli());
        ps.setInt(8, d.test() ? 1 : 0);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public List<Delivery> claimDue(Instant now, Instant leaseUntil, int limit) {
    return db.write(c -> {
      List<Delivery> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(DELIVERY + " WHERE status IN ('pending', 'sending') AND next_attempt_at <= ? "
          + "ORDER BY next_attempt_at LIMIT ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(delivery(rs));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status = 'sending', next_attempt_at = ? WHERE delivery_id = ?")) {
        for (Delivery d : out) {
          ps.setLong(1, leaseUntil.toEpochMilli());
          ps.setString(2, d.deliveryId());
          ps.executeUpdate();
        }
      }
      return out;
    });
  }

  @Override
  public void attempted(String deliveryId, boolean delivered, Integer statusCode, String error, Instant nextAttemptAt, Instant at) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, last_status_code = ?, "
          + "last_error = ?, next_attempt_at = ?, delivered_at = ? WHERE delivery_id = ?")) {
        ps.setString(1, delivered ? "delivered" : nextAttemptAt == null ? "failed" : "pending");
        if (statusCode == null) ps.setNull(2, Types.INTEGER);
        else ps.setInt(2, statusCode);
        ps.setString(3, error);
        if (nextAttemptAt == null || delivered) ps.setNull(4, Types.INTEGER);
        else ps.setLong(4, nextAttemptAt.toEpochMilli());
        if (delivered) ps.setLong(5, at.toEpochMilli());
        else ps.setNull(5, Types.INTEGER);
        ps.setString(6, deliveryId);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public List<Delivery> deliveries(String webhookId, int limit) {
    return db.read(c -> {
      List<Delivery> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(DELIVERY + " WHERE webhook_id = ? ORDER BY created_at DESC, delivery_id LIMIT ?")) {
        ps.setString(1, webhookId);
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(delivery(rs));
        }
      }
      return out;
    });
  }

  @Override
  public Optional<Delivery> delivery(String deliveryId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(DELIVERY + " WHERE delivery_id = ?")) {
        ps.setString(1, deliveryId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(delivery(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Optional<Instant> nextDue() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status IN ('pending', 'sending')");
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(instant(rs, 1)) : Optional.empty();
      }
    });
  }

  private static Webhook hook(ResultSet rs) throws SQLException {
    String types = rs.getString(4);
    return new Webhook(rs.getString(1), rs.getString(2), rs.getString(3), types.isEmpty() ? List.of() : List.of(types.split(",")), rs.getString(5),
        rs.getString(6), instant(rs, 7));
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    int code = rs.getInt(9);
    Integer status = rs.wasNull() ? null : code;
    return new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
        instant(rs, 8), status, rs.getString(10), instant(rs, 11), instant(rs, 12), rs.getInt(13) == 1);
  }
}
