package dev.synap.bench.cluster;

import dev.synap.bench.AckPhase;
import dev.synap.bench.BenchFiles;
import dev.synap.bench.MachineProfile;
import dev.synap.bench.Percentiles;
import dev.synap.bench.Progress;
import dev.synap.bench.TempDirs;
import dev.synap.sdk.FetchRequest;
import dev.synap.sdk.ListenCallbacks;
import dev.synap.sdk.RecordMessage;
import dev.synap.sdk.SendMessage;
import dev.synap.sdk.Synap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synap bench cluster}: the production shape measured on one machine. Server nodes are real
 * processes ({@link LocalCluster}); the load generator is this process. First one node on SQLite
 * against one node on PostgreSQL (acknowledged writes with 32 clients, fetch latency), then 1, 2
 * and 3 nodes on one PostgreSQL behind nginx: throughput and fetch latency through the proxy, a
 * push caused by a write through one node arriving on a stream held by another, read-after-write
 * across nodes, and failover (kill -9 of the node holding a stream until the SDK's stream is back
 * through nginx) with every acknowledged stream event counted in the store.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "SQLite vs PostgreSQL on one node, then 1-3 nodes behind nginx: acks/s, fetch, cross-node push, read-after-write, failover.")
public final class ClusterBenchCommand implements Callable<Integer> {
  @Option(names = "--postgres-url", description = "A PostgreSQL database to create throw-away schemas in (default: $SYNAP_TEST_POSTGRES_URL; `eval \"$(.ci/postgres start)\"` starts one).")
  String postgresUrl;

  @Option(names = "--nodes", split = ",", description = "Cluster sizes to measure (default ${DEFAULT-VALUE}).", defaultValue = "1,2,3")
  List<Integer> sizes;

  @Option(names = "--messages", description = "Acknowledged writes per phase (default ${DEFAULT-VALUE}).", defaultValue = "8000")
  int messages;

  @Option(names = "--clients", description = "Concurrent writers (default ${DEFAULT-VALUE}).", defaultValue = "32")
  int clients;

  @Option(names = "--fetches", description = "Fetches per phase (default ${DEFAULT-VALUE}).", defaultValue = "500")
  int fetches;

  @Option(names = "--samples", description = "Cross-node push and read-after-write samples per size (default ${DEFAULT-VALUE}).", defaultValue = "40")
  int samples;

  @Option(names = "--failovers", description = "kill -9 runs per cluster size of 2 or more (default ${DEFAULT-VALUE}).", defaultValue = "3")
  int failovers;

  @Option(names = "--heap", description = "Heap of each node (default ${DEFAULT-VALUE}).", defaultValue = "512m")
  String heap;

  @Option(names = "--out", description = "Write the results as JSON to this file.")
  Path out;

  private final AtomicInteger errors = new AtomicInteger();
  private long eventsLost;

  @Override
  public Integer call() throws Exception {
    String base = postgresUrl != null ? postgresUrl : System.getenv("SYNAP_TEST_POSTGRES_URL");
    if (base == null || base.isBlank()) {
      System.err.println("bench cluster needs PostgreSQL: --postgres-url jdbc:postgresql://... (or eval \"$(.ci/postgres start)\")");
      return 2;
    }
    if (NginxProxy.binary().isEmpty()) {
      System.err.println("bench cluster needs nginx on PATH or in /usr/sbin (.ci/nginx install)");
      return 2;
    }
    Path dir = Files.createTempDirectory("synap-bench-cluster");
    Map<String, Object> result = new LinkedHashMap<>();
    try {
      MachineProfile machine = MachineProfile.measure(dir);
      System.err.println(machine.headline());
      result.put("machine", machine.toJson());
      result.put("sqlite", singleNode(null, dir.resolve("sqlite")));
      result.put("postgres", singleNode(freshSchema(base), dir.resolve("postgres")));
      List<Map<String, Object>> bySize = new ArrayList<>();
      Percentiles push = new Percentiles();
      Percentiles readAfterWrite = new Percentiles();
      Percentiles failover = new Percentiles();
      for (int n : sizes) bySize.add(cluster(n, freshSchema(base), dir.resolve("nodes-" + n), push, readAfterWrite, failover));
      result.put("nodes", bySize);
      result.put("cross_node_push_ms", push.summary());
      result.put("read_after_write_ms", readAfterWrite.summary());
      result.put("failover_s", failover.summary());
      result.put("events_lost", eventsLost);
      result.put("errors", errors.get());
    } finally {
      TempDirs.delete(dir);
    }
    print(result);
    BenchFiles.writeJson(out, result);
    return 0;
  }

  /** One node alone, clients straight to it: what the store costs per acknowledged write. */
  private Map<String, Object> singleNode(String storeUrl, Path dir) throws Exception {
    String label = storeUrl == null ? "sqlite" : "postgres";
    try (LocalCluster c = LocalCluster.start(settings(1, storeUrl), dir); Synap synap = client(c.apiKey(), c.node(0).httpBase(), c.node(0).grpcPort())) {
      AckPhase.run(synap, 300, 4, label + " warm-up");
      Map<String, Object> r = AckPhase.run(synap, messages, clients, label + " acks");
      errors.addAndGet((int) r.get("errors"));
      r.put("fetch_ms", fetchPhase(synap, label + " fetches"));
      return r;
    }
  }

  private Map<String, Object> cluster(int n, String storeUrl, Path dir, Percentiles push, Percentiles readAfterWrite, Percentiles failover)
      throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("count", n);
    try (LocalCluster c = LocalCluster.start(settings(n, storeUrl), dir);
        Synap proxied = client(c.apiKey(), c.proxy().httpBase(), c.proxy().grpcPort())) {
      AckPhase.run(proxied, 300, 4, n + " nodes warm-up");
      Map<String, Object> acks = AckPhase.run(proxied, messages, clients, n + " nodes acks");
      errors.addAndGet((int) acks.get("errors"));
      r.put("ack_per_s", acks.get("ack_per_s"));
      r.put("ack_ms", acks.get("ack_ms"));
      r.put("fetch_ms", fetchPhase(proxied, n + " nodes fetches"));
      Percentiles pushHere = new Percentiles();
      Percentiles rawHere = new Percentiles();
      crossNode(c, pushHere, rawHere);
      r.put("cross_node_push_ms", pushHere.summary());
      r.put("read_after_write_ms", rawHere.summary());
      if (n >= 2) {
        Percentiles failHere = new Percentiles();
        for (int i = 0; i < failovers; i++) failHere.add(failover(c, proxied, storeUrl, i));
        r.put("failover_s", failHere.summary());
        copy(failHere, failover);
      }
      copy(pushHere, push);
      if (n >= 2) copy(rawHere, readAfterWrite);
    }
    return r;
  }

  /**
   * A stream held by node A; memories written through node B (the same node when there is one):
   * from B's acknowledgement to the bundle holding the memory on A's stream, and to a fetch on A
   * that returns it.
   */
  private void crossNode(LocalCluster c, Percentiles push, Percentiles readAfterWrite) throws Exception {
    int a = 0;
    int b = c.nodes().size() > 1 ? 1 : 0;
    String conv = UUID.randomUUID().toString();
    String user = "cross-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    try (Synap onA = client(c.apiKey(), c.node(a).httpBase(), c.node(a).grpcPort());
        Synap onB = client(c.apiKey(), c.node(b).httpBase(), c.node(b).grpcPort())) {
      onA.instance().listen(ListenCallbacks.onContext(bundle -> {
        long now = System.nanoTime();
        for (var item : bundle.items()) arrived.putIfAbsent(item.content(), now);
      }));
      onA.instance().sendMessage(SendMessage.builder("hello, I am back").userId(user).conversationId(conv).build());
      for (int i = 0; i < samples; i++) {
        String marker = "zq" + Integer.toString(i, 36) + "kite" + UUID.randomUUID().toString().substring(0, 6);
        try {
          onB.conversation().recordMessage(RecordMessage.user(conv, "I keep the blue kite " + marker + " in the garage.").userId(user).build());
        } catch (RuntimeException e) {
          errors.incrementAndGet();
          continue;
        }
        long acked = System.nanoTime();
        long deadline = acked + Duration.ofSeconds(10).toNanos();
        boolean pushed = false;
        boolean fetched = false;
        while ((!pushed || !fetched) && System.nanoTime() < deadline) {
          if (!pushed) {
            Long at = arrived.entrySet().stream().filter(e -> e.getKey().contains(marker)).map(Map.Entry::getValue).findFirst().orElse(null);
            if (at != null) {
              push.add((at - acked) / 1e6);
              pushed = true;
            }
          }
          if (!fetched) {
            var ctx = onA.user().context().fetch(FetchRequest.forUser(user).query(marker).maxResults(3).build());
            if (ctx.all().stream().anyMatch(item -> item.content().contains(marker))) {
              readAfterWrite.add((System.nanoTime() - acked) / 1e6);
              fetched = true;
            }
          }
          Thread.sleep(5);
        }
        if (!pushed || !fetched) errors.incrementAndGet();
        Progress.show(i, samples, "cross-node");
      }
      Progress.done();
    }
  }

  /**
   * Streams events through nginx at a steady pace, kills the node holding the stream with SIGKILL,
   * and times the kill to the SDK's stream restored on another node. Every event the SDK confirmed
   * must then be in the store exactly once; the difference is counted in {@code events_lost}.
   */
  private double failover(LocalCluster c, Synap proxied, String storeUrl, int round) throws Exception {
    String conv = UUID.randomUUID().toString();
    String user = "failover-" + round;
    AtomicLong restoredAt = new AtomicLong();
    int events = 200;
    try (Synap streaming = client(c.apiKey(), c.proxy().httpBase(), c.proxy().grpcPort())) {
      streaming.instance().listen(new ListenCallbacks(b -> {}, reason -> {}, attempt -> restoredAt.compareAndSet(0, System.nanoTime())));
      long killedAt = 0;
      LocalCluster.Node victim = null;
      for (int i = 0; i < events; i++) {
        if (i == events / 4) {
          victim = c.node(holdingStream(c));
          killedAt = System.nanoTime();
          victim.kill9();
        }
        while (streaming.instance().queuedEvents() >= 90) Thread.sleep(10);
        streaming.instance().sendMessage(SendMessage.builder("failover event " + i + " of " + conv).userId(user).conversationId(conv).build());
        Thread.sleep(10);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (restoredAt.get() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
      if (!streaming.instance().flush(Duration.ofSeconds(120))) errors.incrementAndGet();
      long confirmed = events - streaming.instance().delivery().dropped() - streaming.instance().delivery().rejected();
      long stored = countStored(storeUrl, conv);
      eventsLost += Math.max(0, confirmed - stored) + Math.max(0, stored - events);
      if (victim != null) victim.restart();
      if (restoredAt.get() == 0) {
        errors.incrementAndGet();
        return Double.NaN;
      }
      return Percentiles.round((restoredAt.get() - killedAt) / 1e9);
    }
  }

  /** The node whose metrics show an open Listen stream: where nginx sent it. */
  private static int holdingStream(LocalCluster c) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var open = java.util.regex.Pattern.compile("(?m)^synap_listen_streams(?:\\{[^}]*\\})? ([0-9.]+)");
    for (int i = 0; i < c.nodes().size(); i++) {
      if (!c.node(i).alive()) continue;
      var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(c.node(i).httpBase() + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      var m = open.matcher(r.body());
      if (m.find() && Double.parseDouble(m.group(1)) >= 1) return i;
    }
    return 0;
  }

  private static long countStored(String url, String conv) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        var ps = c.prepareStatement("SELECT COUNT(DISTINCT content), COUNT(*) FROM messages WHERE conversation_id = ?")) {
      ps.setString(1, conv);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long distinct = rs.getLong(1);
        long all = rs.getLong(2);
        return distinct - (all - distinct); // a duplicate counts against what was stored
      }
    }
  }

  /** User fetches with a query, one after another: server-side latency through whatever is in front. */
  private Map<String, Object> fetchPhase(Synap synap, String label) {
    Percentiles p = new Percentiles();
    for (int i = 0; i < fetches; i++) {
      long t0 = System.nanoTime();
      try {
        synap.user().context().fetch(FetchRequest.forUser("bench-user-any").query("what did my sister plan for the trip to Kyoto " + i)
            .maxResults(10).build());
        p.add((System.nanoTime() - t0) / 1e6);
      } catch (RuntimeException e) {
        errors.incrementAndGet();
      }
      Progress.show(i, fetches, label);
    }
    Progress.done();
    return p.summary();
  }

  private LocalCluster.Settings settings(int nodes, String storeUrl) {
    return new LocalCluster.Settings(nodes, storeUrl, Map.of(), heap, Duration.ofSeconds(180));
  }

  private static Synap client(String key, String httpBase, int grpcPort) {
    return Synap.builder().apiKey(key).baseUrl(httpBase).grpcHost("127.0.0.1").grpcPort(grpcPort).connectTimeout(Duration.ofSeconds(30))
        .requestTimeout(Duration.ofSeconds(60)).heartbeat(Duration.ofSeconds(2), Duration.ofSeconds(2)).build();
  }

  /** A schema of its own per phase, so every phase starts on an empty store. */
  private static String freshSchema(String base) throws Exception {
    String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static void copy(Percentiles from, Percentiles to) {
    for (double v : from.values()) to.add(v);
  }

  @SuppressWarnings("unchecked")
  private static void print(Map<String, Object> r) {
    System.out.println();
    System.out.println("machine: " + r.get("machine"));
    System.out.printf("%-28s %10s %9s %9s %9s %9s %11s %11s %10s%n", "setup", "acks/s", "ack p50", "ack p99", "fetch p50", "fetch p99",
        "push p50/99", "raw p50/99", "failover");
    for (String store : List.of("sqlite", "postgres")) {
      Map<String, Object> s = (Map<String, Object>) r.get(store);
      Map<String, Object> a = (Map<String, Object>) s.get("ack_ms");
      Map<String, Object> f = (Map<String, Object>) s.get("fetch_ms");
      System.out.printf("%-28s %10.1f %9.2f %9.2f %9.2f %9.2f%n", "1 node, " + store + " (direct)", s.get("ack_per_s"), a.get("p50"), a.get("p99"),
          f.get("p50"), f.get("p99"));
    }
    for (Map<String, Object> n : (List<Map<String, Object>>) r.get("nodes")) {
      Map<String, Object> a = (Map<String, Object>) n.get("ack_ms");
      Map<String, Object> f = (Map<String, Object>) n.get("fetch_ms");
      Map<String, Object> p = (Map<String, Object>) n.get("cross_node_push_ms");
      Map<String, Object> w = (Map<String, Object>) n.get("read_after_write_ms");
      Map<String, Object> fo = (Map<String, Object>) n.get("failover_s");
      System.out.printf("%-28s %10.1f %9.2f %9.2f %9.2f %9.2f %5.0f/%-5.0f %5.0f/%-5.0f %10s%n", n.get("count") + " node(s), postgres, nginx",
          n.get("ack_per_s"), a.get("p50"), a.get("p99"), f.get("p50"), f.get("p99"), p.get("p50"), p.get("p99"), w.get("p50"), w.get("p99"),
          fo == null ? "-" : fo.get("p50") + "/" + fo.get("p99") + " s");
    }
    System.out.printf("events lost: %s, errors: %s%n", r.get("events_lost"), r.get("errors"));
  }
}
