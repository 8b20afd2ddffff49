package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.server.config.ServerConfig;
import dev.synap.server.limit.RateLimitSettings;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamFloodTest {
  static final int EVENTS = 5_000;
  @TempDir Path dir;

  @Test
  void rate() throws Exception {
    run(ServerConfig.forTests(dir).withRateLimits(new RateLimitSettings(50, 50, 0, 0, 0, 0)), 600);
  }

  @Test
  void queue() throws Exception {
    run(ServerConfig.forTests(dir).withMaxQueued(50), EVENTS);
  }

  void run(ServerConfig config, int EVENTS) throws Exception {
    try (TestServer ts = new TestServer(config);
        Synap synap = ts.client()) {
      long t0 = System.nanoTime();
      String conv = UUID.randomUUID().toString();
      synap.instance().listen(ListenCallbacks.none());
      for (int i = 0; i < EVENTS; i++) {
        synap.instance().sendMessage(SendMessage.builder("flood event " + i).userId("kai").conversationId(conv).metadata("event_id", "ev-" + i).build());
      }
      boolean flushed = synap.instance().flush(Duration.ofSeconds(40));
      System.out.println("flushed " + flushed + " " + synap.instance().delivery());
      Map<String, Integer> stored = new HashMap<>();
      try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("synap.db"));
          var ps = c.prepareStatement("SELECT content, COUNT(*) FROM messages GROUP BY content");
          var rs = ps.executeQuery()) {
        while (rs.next()) stored.put(rs.getString(1), rs.getInt(2));
      }
      int missing = 0;
      for (int i = 0; i < EVENTS; i++) if (stored.get("flood event " + i) == null) missing++;
      System.out.println("stored " + stored.size() + " missing " + missing + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      assertThat(missing).isZero();
    }
  }
}
