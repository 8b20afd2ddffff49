package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server is killed with SIGKILL in the middle of a stream of 10,000 events and restarted on
 * the same ports; the SDK reconnects and replays. Every event the server confirmed or the SDK
 * still held (unconfirmed or queued) is stored exactly once.
 */
class ServerKillNineTest {
  static final int EVENTS = 10_000;
  @TempDir Path dir;

  /**
   * The child server runs from the class path. These tests run on the module path, inside the SDK
   * module: its classes, the test classes (patched in) and the module path are not on
   * {@code java.class.path}, so they are added.
   */
  private static String childClassPath() throws Exception {
    List<String> parts = new ArrayList<>();
    for (String p : new String[] {System.getProperty("java.class.path"), System.getProperty("jdk.module.path")}) {
      if (p != null && !p.isEmpty()) parts.add(p);
    }
    parts.add(Path.of(ServerChild.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    parts.add(Path.of(Synap.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    return String.join(File.pathSeparator, parts);
  }

  private Process startServer(int grpc, int http, String[] keyOut) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", childClassPath(), ServerChild.class.getName(), dir.toString(),
        Integer.toString(grpc), Integer.toString(http)).redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    // Native libraries (ONNX Runtime probing for CUDA) may print to standard output before the child does.
    String line = out.readLine();
    while (line != null && !line.startsWith("READY ")) line = out.readLine();
    assertThat(line).startsWith("READY ");
    if (!line.endsWith(" -")) keyOut[0] = line.substring(6);
    return p;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void everyConfirmedOrHeldEventIsStoredExactlyOnceAcrossAServerCrash() throws Exception {
    int grpc = freePort();
    int http = freePort();
    String[] key = new String[1];
    Process server = startServer(grpc, http, key);
    AtomicInteger reconnects = new AtomicInteger();
    String conv = UUID.randomUUID().toString();
    try (Synap synap = Synap.builder().apiKey(key[0]).baseUrl("http://127.0.0.1:" + http).grpcPort(grpc)
        .heartbeat(Duration.ofSeconds(2), Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(3)).build()) {
      synap.instance().listen(new ListenCallbacks(b -> {}, r -> {}, a -> reconnects.incrementAndGet()));
      for (int i = 0; i < EVENTS; i++) {
        if (i == 3_000) {
          new ProcessBuilder("kill", "-9", Long.toString(server.pid())).start().waitFor();
          server.waitFor(10, TimeUnit.SECONDS);
          server = startServer(grpc, http, key);
        }
        // Stay within the SDK's bounded queue while the stream is down, as an application would.
        while (synap.instance().queuedEvents() >= 90) Thread.sleep(20);
        synap.instance().sendMessage(SendMessage.builder("event number " + i).userId("kai").conversationId(conv).build());
      }
      assertThat(synap.instance().flush(Duration.ofSeconds(120))).as("all events confirmed").isTrue();
      InstanceClient.Delivery d = synap.instance().delivery();
      System.out.printf("server kill -9: %d events sent, %d reconnects, %d confirmed on the last stream, %d dropped%n", EVENTS, reconnects.get(),
          d.confirmed(), d.dropped());
      assertThat(d.dropped()).isZero();
      assertThat(reconnects.get()).isPositive();
    } finally {
      server.destroy(); // SIGTERM: graceful shutdown
      server.waitFor(30, TimeUnit.SECONDS);
    }

    Map<String, Integer> stored = new HashMap<>();
    // The SDK module does not read java.sql; this test, patched into it, reads the store directly.
    ServerKillNineTest.class.getModule().addReads(ModuleLayer.boot().findModule("java.sql").orElseThrow());
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("synap.db"));
        var ps = c.prepareStatement("SELECT content, COUNT(*) FROM messages WHERE user_id = 'kai' GROUP BY content");
        var rs = ps.executeQuery()) {
      while (rs.next()) stored.put(rs.getString(1), rs.getInt(2));
    }
    java.util.List<Integer> missing = new java.util.ArrayList<>();
    for (int i = 0; i < EVENTS; i++) if (stored.get("event number " + i) == null) missing.add(i);
    if (!missing.isEmpty()) {
      System.out.println("missing: " + missing.subList(0, Math.min(50, missing.size())) + " of " + missing.size());
      System.out.println(java.nio.file.Files.readString(dir.resolve("server.log")).lines().filter(l -> !l.startsWith("WARNING")).limit(40)
          .collect(java.util.stream.Collectors.joining("\n")));
    }
    for (int i = 0; i < EVENTS; i++) assertThat(stored.get("event number " + i)).as("event %d stored exactly once", i).isEqualTo(1);
    assertThat(stored).hasSize(EVENTS);
  }
}
