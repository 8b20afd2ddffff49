package dev.synap.store.postgres;

import dev.synap.core.store.ClusterBus;
import dev.synap.core.store.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster bus on PostgreSQL: {@code NOTIFY synap_bus} through the pool, {@code LISTEN} on a
 * connection of its own (a pooled connection would lose the registration when returned), read by
 * one thread. A notice is a tab-separated line (kind, node, instance, subject, customer, ids
 * comma-separated; ids and names never contain tabs or commas: they are UUIDs and client ids
 * checked at the edge, and a notice that does not parse is dropped as the hint it is). A lost
 * connection is re-opened; notices sent meanwhile are missed, which the receivers' poll
 * fallback covers (the store stays the truth).
 */
final class PgClusterBus implements ClusterBus {
  private static final Logger LOG = LoggerFactory.getLogger(PgClusterBus.class);
  static final String CHANNEL = "synap_bus";
  /** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more: longer id lists are cut (receivers poll anyway). */
  private static final int MAX_PAYLOAD = 7_900;

  private final StoreSettings settings;
  private final PgDatabase db;
  private final String nodeId;
  private final List<Consumer<Notice>> listeners = new CopyOnWriteArrayList<>();
  private final Thread listener;
  private volatile boolean running = true;
  private volatile Connection listening;

  PgClusterBus(StoreSettings settings, PgDatabase db, String nodeId) {
    this.settings = settings;
    this.db = db;
    this.nodeId = nodeId;
    this.listener = Thread.ofPlatform().name("synap-bus-listen").daemon(true).start(this::listen);
  }

  @Override
  public boolean reachesOtherNodes() {
    return true;
  }

  @Override
  public void publish(Notice n) {
    String payload = encode(n);
    try {
      db.read(c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
          ps.setString(1, CHANNEL);
          ps.setString(2, payload);
          ps.execute();
        }
        return null;
      });
    } catch (RuntimeException e) {
      LOG.debug("notice not sent (the others' poll will find the change): {}", e.toString());
    }
  }

  @Override
  public void subscribe(Consumer<Notice> l) {
    listeners.add(l);
  }

  static String encode(Notice n) {
    StringBuilder ids = new StringBuilder();
    for (String id : n.ids()) {
      if (ids.length() + id.length() + 200 > MAX_PAYLOAD) break;
      if (ids.length() > 0) ids.append(',');
      ids.append(id);
    }
    return String.join("\t", n.kind().name(), n.nodeId(), n.instanceId(), orEmpty(n.subject()), orEmpty(n.customerId()), ids);
  }

  static Notice decode(String payload) {
    String[] f = payload.split("\t", -1);
    if (f.length != 6) throw new IllegalArgumentException("not a notice: " + payload);
    List<String> ids = f[5].isEmpty() ? List.of() : Arrays.asList(f[5].split(","));
    return new Notice(Kind.valueOf(f[0]), f[1], f[2], emptyToNull(f[3]), emptyToNull(f[4]), ids);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private void listen() {
    long backoff = 100;
    while (running) {
      try (Connection c = open()) {
        listening = c;
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        backoff = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] got = pg.getNotifications(500);
          if (got == null) continue;
          for (PGNotification n : got) deliver(n.getParameter());
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) return;
        LOG.warn("cluster bus connection lost (reconnecting in {} ms; changes are still found by polling): {}", backoff, e.toString());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(5_000, backoff * 2);
      }
    }
  }

  private void deliver(String payload) {
    Notice n;
    try {
      n = decode(payload);
    } catch (RuntimeException e) {
      LOG.debug("dropped a malformed notice: {}", e.toString());
      return;
    }
    if (nodeId.equals(n.nodeId())) return;
    for (Consumer<Notice> l : new ArrayList<>(listeners)) {
      try {
        l.accept(n);
      } catch (RuntimeException e) {
        LOG.warn("a notice listener failed: {}", e.toString());
      }
    }
  }

  private Connection open() throws SQLException {
    Properties p = new Properties();
    if (settings.user() != null && !settings.user().isBlank()) p.setProperty("user", settings.user());
    if (settings.password() != null) p.setProperty("password", settings.password());
    p.setProperty("connectTimeout", "3");
    p.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(settings.url(), p);
  }

  @Override
  public void close() {
    running = false;
    try {
      listener.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
