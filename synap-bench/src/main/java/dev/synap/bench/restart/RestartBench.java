package dev.synap.bench.restart;

import dev.synap.bench.BenchFiles;
import dev.synap.bench.scale.SyntheticMemories;
import dev.synap.core.MemoryEngine;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.embed.Embedder;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.lucene.IndexedMemory;
import dev.synap.core.tenant.RelationshipMode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Restart time after a crash. A data folder is filled once with seeded synthetic memories (their
 * embeddings drawn from a pre-embedded pool of sentences, as in the scale bench, so that filling
 * 100k takes minutes, not an hour of model time) and closed cleanly. Then, for each server build:
 * a copy of that folder is served by a separate server process, which takes some writes over REST
 * (new documents, one edit, one deletion: the normal life of a server) until they are searchable;
 * the process is killed with SIGKILL; a new process is started on the same folder and timed until
 * it answers {@code /health} and, when it rebuilt its index, until that rebuild committed (its
 * index consistent with the store again).
 *
 * <p>Builds are compared by their CLI jar, so a build of an older commit can be measured with the
 * same bench and the same data (the folder formats must be compatible).
 */
public final class RestartBench {
  private static final int POOL = 1_500;
  private static final int BATCH = 2_000;
  private static final String KEY_FILE = "restart-bench.properties";
  private static final Pattern REPLAYED = Pattern.compile("(\\d+) memories changed after its last commit, re-indexed in (\\d+) ms");

  /**
   * @param writes documents written over REST before the kill
   * @param maxWait how long a restart may take before it is reported as not finished
   */
  public record Settings(long seed, int memories, int users, int writes, Duration maxWait) {}

  private final Settings s;
  private final PrintStream progress;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public RestartBench(Settings s, PrintStream progress) {
    this.s = s;
    this.progress = progress;
  }

  /** Fills {@code dir} with the seeded memories, unless an earlier run already did; the instance id and API key are kept beside. */
  public Properties populate(Path dir) throws IOException {
    Path keyFile = dir.resolve(KEY_FILE);
    if (Files.exists(keyFile)) {
      Properties p = load(keyFile);
      if (Integer.parseInt(p.getProperty("memories")) != s.memories() || Long.parseLong(p.getProperty("seed")) != s.seed()) {
        throw new IllegalArgumentException(dir + " holds " + p.getProperty("memories") + " memories of seed " + p.getProperty("seed")
            + "; use another --data folder");
      }
      progress.printf("reusing the populated folder %s (%s memories)%n", dir, p.getProperty("memories"));
      return p;
    }
    Files.createDirectories(dir);
    long start = System.nanoTime();
    Properties p = new Properties();
    try (MemoryEngine engine = MemoryEngine.open(new MemoryEngine.Config(dir, 1, 1_000, null), MemoryEngine.RetrievalConfig.defaults(),
        CompactionSettings.defaults().withoutAuto())) {
      var boot = engine.tenancy().bootstrap(RelationshipMode.B2C);
      String instanceId = boot.instance().instanceId();
      String key = boot.firstKey().orElseThrow(() -> new IllegalArgumentException(dir + " already holds an instance; use an empty folder")).secret();
      Embedder embedder = engine.index().embedder();
      progress.printf("embedding a pool of %d sentences...%n", POOL);
      List<String> pool = SyntheticMemories.pool(s.seed(), POOL);
      List<float[]> vectors = new ArrayList<>();
      for (int i = 0; i < pool.size(); i += 64) vectors.addAll(embedder.embedPassages(pool.subList(i, Math.min(pool.size(), i + 64))));
      Random r = new Random(s.seed());
      Instant base = Instant.parse("2025-01-01T00:00:00Z");
      for (int loaded = 0; loaded < s.memories(); ) {
        int n = Math.min(BATCH, s.memories() - loaded);
        List<Memory> batch = new ArrayList<>(n);
        List<IndexedMemory> indexed = new ArrayList<>(n);
        for (int i = 0; i < n; i++, loaded++) {
          int k = r.nextInt(pool.size());
          Instant at = base.plusSeconds(r.nextInt(2 * 365 * 86_400));
          String user = "user-" + (loaded % s.users());
          Memory m = new Memory(memoryId(loaded), instanceId, user, null, "conv-" + user, Scope.USER, MemoryType.FACT, pool.get(k), 0.8, null,
              Map.of(), null, null, "perpetual", List.of(), "current", at, at);
          batch.add(m);
          indexed.add(new IndexedMemory(m, m.content(), at.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay(), vectors.get(k), vectors.get(k)));
        }
        engine.store().memories().insert(batch);
        engine.index().indexPrepared(instanceId, indexed);
        progress.printf("\r  loaded %,d / %,d memories", loaded, s.memories());
      }
      progress.println();
      p.setProperty("instance", instanceId);
      p.setProperty("key", key);
    }
    p.setProperty("memories", Integer.toString(s.memories()));
    p.setProperty("seed", Long.toString(s.seed()));
    try (var w = Files.newBufferedWriter(keyFile)) {
      p.store(w, "restart bench: the populated instance and its key");
    }
    progress.printf("populated in %.0f s%n", (System.nanoTime() - start) / 1e9);
    return p;
  }

  private String memoryId(int i) {
    return new UUID(s.seed(), i).toString();
  }

  /** One build: serve a copy of the populated folder, write, kill -9, restart, time until ready. */
  public Map<String, Object> run(String label, Path jar, Path populated, Properties data, Path work) throws Exception {
    Path dir = work.resolve("run-" + label);
    copy(populated, dir);
    Path indexDir = dir.resolve("index").resolve(data.getProperty("instance").replaceAll("[^A-Za-z0-9._-]", "_"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("build", label);
    out.put("jar", jar.toString());

    progress.printf("[%s] starting the server on a copy of the populated folder...%n", label);
    Server first = Server.start(jar, dir, work.resolve(label + "-first.log"));
    try {
      first.awaitHealth(http, s.maxWait());
      String key = data.getProperty("key");
      for (int i = 0; i < s.writes(); i++) {
        post(first, "/api/v1/memories/create", "{\"document\":\"Restart note " + i + ": the courier brings parcel " + i
            + " on Thursday.\",\"user_id\":\"user-" + (i % s.users()) + "\"}", key);
      }
      send(first, "PATCH", "/api/v1/memories/" + memoryId(0), "{\"document\":\"The bench edited this memory.\",\"merge_strategy\":\"replace\"}", key);
      send(first, "DELETE", "/api/v1/memories/" + memoryId(1), null, key);
      first.awaitQueueEmpty(http, s.maxWait());
      Thread.sleep(3_000); // the index applies written memories within a batch: well under this
      out.put("writes_before_kill", s.writes() + 2);
    } finally {
      first.kill9();
    }
    long segmentsAtKill = newestCommit(indexDir);

    progress.printf("[%s] killed with SIGKILL; restarting...%n", label);
    long t0 = System.nanoTime();
    Server second = Server.start(jar, dir, work.resolve(label + "-restart.log"));
    try {
      boolean up = second.awaitHealth(http, s.maxWait());
      double upSeconds = (System.nanoTime() - t0) / 1e9;
      out.put("health_seconds", up ? round(upSeconds) : null);
      // A rebuild is announced in the log and ends with a commit of the index: a newer commit point
      // than the one the killed process left is the rebuild done (nothing else commits meanwhile).
      boolean rebuilt = false;
      boolean consistent = up;
      long deadline = t0 + s.maxWait().toNanos();
      Thread.sleep(200);
      if (up && second.log().contains(": rebuilding")) {
        rebuilt = true;
        consistent = false;
        progress.printf("[%s] the index is being rebuilt; waiting for it (at most %d s)...%n", label, s.maxWait().toSeconds());
        while (System.nanoTime() < deadline) {
          if (newestCommit(indexDir) > segmentsAtKill) {
            consistent = true;
            break;
          }
          Thread.sleep(250);
        }
      }
      double readySeconds = (System.nanoTime() - t0) / 1e9;
      out.put("rebuild", rebuilt);
      out.put("ready_seconds", consistent ? round(readySeconds) : null);
      out.put("gave_up_after_seconds", consistent ? null : round(readySeconds));
      Matcher m = REPLAYED.matcher(second.log());
      if (m.find()) {
        out.put("replayed_memories", Integer.parseInt(m.group(1)));
        out.put("replay_ms", Integer.parseInt(m.group(2)));
      } else {
        out.put("replayed_memories", 0);
      }
      progress.printf("[%s] up after %.1f s; %s%n", label, upSeconds,
          !rebuilt ? "no rebuild" : consistent ? String.format("rebuild done after %.1f s", readySeconds) : "rebuild not done after " + Math.round(readySeconds) + " s");
    } finally {
      second.kill9();
      BenchFiles.deleteQuietly(dir);
    }
    return out;
  }

  /** The generation of the newest Lucene commit point (segments_N, N in base 36) in the folder, or -1. */
  static long newestCommit(Path indexDir) throws IOException {
    if (!Files.isDirectory(indexDir)) return -1;
    long newest = -1;
    try (Stream<Path> files = Files.list(indexDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith("segments_")) newest = Math.max(newest, Long.parseLong(name.substring("segments_".length()), Character.MAX_RADIX));
      }
    }
    return newest;
  }

  private void post(Server srv, String path, String json, String key) throws Exception {
    send(srv, "POST", path, json, key);
  }

  private void send(Server srv, String method, String path, String json, String key) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + srv.httpPort + path)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
  }

  private static double round(double seconds) {
    return Math.round(seconds * 10) / 10.0;
  }

  private static Properties load(Path f) throws IOException {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(f)) {
      p.load(r);
    }
    return p;
  }

  private static void copy(Path from, Path to) throws IOException {
    BenchFiles.deleteQuietly(to);
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }

  /** A server process of one build, its output in a log file. */
  static final class Server {
    final Process process;
    final int httpPort;
    final Path logFile;

    private Server(Process process, int httpPort, Path logFile) {
      this.process = process;
      this.httpPort = httpPort;
      this.logFile = logFile;
    }

    static Server start(Path jar, Path dataDir, Path logFile) throws IOException {
      int http = freePort();
      int grpc = freePort();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-XX:+UseZGC",
          "-jar", jar.toString(), "serve", "--data-dir", dataDir.toString(), "--http-port", Integer.toString(http), "--grpc-port",
          Integer.toString(grpc)).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
      return new Server(p, http, logFile);
    }

    boolean awaitHealth(HttpClient http, Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (System.nanoTime() < deadline && process.isAlive()) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) return true;
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(20);
      }
      return false;
    }

    void awaitQueueEmpty(HttpClient http, Duration max) throws Exception {
      long deadline = System.nanoTime() + max.toNanos();
      Pattern depth = Pattern.compile("\"queue_depth\"\\s*:\\s*(\\d+)");
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        Matcher m = depth.matcher(r.body());
        if (m.find() && Integer.parseInt(m.group(1)) == 0) return;
        Thread.sleep(100);
      }
      throw new IllegalStateException("the server did not finish ingesting the writes");
    }

    String log() throws IOException {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    void kill9() throws Exception {
      if (!process.isAlive()) return;
      new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
      process.waitFor();
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      }
    }
  }
}
