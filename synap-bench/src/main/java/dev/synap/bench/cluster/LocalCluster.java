package dev.synap.bench.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N server nodes as real {@code java} child processes (each its own data folder for its Lucene
 * indexes, all on one store URL) behind {@link NginxProxy}: what the cluster tests and
 * {@code synap bench cluster} run. Nodes can be killed with SIGKILL, stopped gracefully and
 * restarted on the same folder and ports (so nginx's upstream list stays valid).
 *
 * <p>The first node starts alone: on an empty store it creates the first instance and prints its
 * key ({@link #apiKey}); the others start after it is healthy, so no two nodes race to bootstrap.
 */
public final class LocalCluster implements AutoCloseable {
  static final String KEY_LINE = "synap-cluster-key: ";

  /**
   * @param nodes how many nodes
   * @param storeUrl the shared store ({@code store.url}, e.g. a {@code jdbc:postgresql://} URL)
   * @param env further settings for every node ({@code SYNAP_*})
   * @param heap each node's {@code -Xmx}, e.g. "384m"
   */
  public record Settings(int nodes, String storeUrl, Map<String, String> env, String heap, Duration startTimeout) {
    public Settings {
      env = Map.copyOf(env);
    }

    public static Settings of(int nodes, String storeUrl) {
      return new Settings(nodes, storeUrl, Map.of(), "384m", Duration.ofSeconds(90));
    }
  }

  /** One node process; its ports stay the same across restarts. */
  public final class Node {
    final int index;
    final String nodeId;
    final Path dataDir;
    final int grpcPort;
    final int httpPort;
    volatile Process process;
    int starts;

    Node(int index, Path dataDir) throws IOException {
      this.index = index;
      this.nodeId = "node-" + index;
      this.dataDir = dataDir;
      this.grpcPort = NginxProxy.freePort();
      this.httpPort = NginxProxy.freePort();
    }

    public String nodeId() {
      return nodeId;
    }

    public int grpcPort() {
      return grpcPort;
    }

    public int httpPort() {
      return httpPort;
    }

    public String httpBase() {
      return "http://127.0.0.1:" + httpPort;
    }

    public boolean alive() {
      Process p = process;
      return p != null && p.isAlive();
    }

    public Path log() {
      return dataDir.resolve("node-" + starts + ".log");
    }

    void start() throws IOException {
      Files.createDirectories(dataDir);
      starts++;
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx" + settings.heap(), "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-XX:+UseZGC",
          "-cp", System.getProperty("java.class.path"), ClusterNodeMain.class.getName()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log().toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("SYNAP_")); // only what this cluster says
      env.putAll(settings.env());
      env.put("SYNAP_DATA_DIR", dataDir.toString());
      env.put("SYNAP_GRPC_PORT", Integer.toString(grpcPort));
      env.put("SYNAP_HTTP_PORT", Integer.toString(httpPort));
      env.put("SYNAP_NODE_ID", nodeId);
      if (settings.storeUrl() != null) env.put("SYNAP_STORE_URL", settings.storeUrl());
      process = pb.start();
    }

    /** SIGKILL: no shutdown hook, nothing flushed, leases left to expire. */
    public void kill9() throws InterruptedException {
      Process p = process;
      if (p == null || !p.isAlive()) return;
      p.destroyForcibly(); // SIGKILL on Linux
      p.waitFor();
    }

    /** SIGTERM: streams get their closing signal, work drains. */
    public void stop() throws InterruptedException {
      Process p = process;
      if (p == null || !p.isAlive()) return;
      p.destroy();
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) kill9();
    }

    /** Starts the node again on its folder and ports; returns once it answers /health. */
    public void restart() throws IOException, InterruptedException {
      if (alive()) throw new IllegalStateException(nodeId + " is running");
      start();
      awaitHealthy(this);
    }

    /** The node's output so far (its log file). */
    public String output() {
      try {
        return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        return "(cannot read " + log() + ": " + e.getMessage() + ")";
      }
    }
  }

  private final Settings settings;
  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private NginxProxy proxy;
  private String apiKey;

  private LocalCluster(Settings settings, Path dir) {
    this.settings = settings;
    this.dir = dir;
  }

  /** Starts the nodes (the first alone), then nginx in front of them. */
  public static LocalCluster start(Settings settings, Path dir) throws IOException, InterruptedException {
    LocalCluster c = new LocalCluster(settings, dir);
    try {
      for (int i = 0; i < settings.nodes(); i++) c.nodes.add(c.new Node(i, dir.resolve("node-" + i)));
      Node first = c.nodes.getFirst();
      first.start();
      c.awaitHealthy(first);
      c.apiKey = first.output().lines().filter(l -> l.startsWith(KEY_LINE)).map(l -> l.substring(KEY_LINE.length()).strip())
          .findFirst().orElse(null);
      for (Node n : c.nodes.subList(1, c.nodes.size())) n.start();
      for (Node n : c.nodes.subList(1, c.nodes.size())) c.awaitHealthy(n);
      List<NginxProxy.Upstream> upstreams = c.nodes.stream().map(n -> new NginxProxy.Upstream("127.0.0.1", n.grpcPort, n.httpPort)).toList();
      c.proxy = NginxProxy.start(dir.resolve("nginx"), upstreams);
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The key the first node created on an empty store, or null when the store had an instance already. */
  public String apiKey() {
    return apiKey;
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  public Node node(int i) {
    return nodes.get(i);
  }

  public NginxProxy proxy() {
    return proxy;
  }

  void awaitHealthy(Node n) throws InterruptedException {
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (!n.alive()) throw new IllegalStateException(n.nodeId + " exited while starting:\n" + tail(n.output()));
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.httpBase() + "/health")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(n.nodeId + " did not answer /health within " + settings.startTimeout().toSeconds() + " s:\n" + tail(n.output()));
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }

  /** Node outputs by node id (for a failing test's message). */
  public Map<String, String> outputs() {
    Map<String, String> out = new HashMap<>();
    for (Node n : nodes) out.put(n.nodeId, tail(n.output()));
    return out;
  }

  @Override
  public void close() {
    if (proxy != null) proxy.close();
    for (Node n : nodes) {
      try {
        n.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        Process p = n.process;
        if (p != null) p.destroyForcibly();
      }
    }
  }
}
