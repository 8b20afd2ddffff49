package dev.synap.bench.load;

import dev.synap.bench.CpuByStage;
import dev.synap.bench.Percentiles;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.Stores;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synap bench load}: holds N Listen streams, publishes conversation events at a target
 * rate and fetches context over REST for a fixed time, then checks that every event sent was
 * recorded. Against an embedded server by default; against a running one with
 * {@code --grpc-target/--http-base/--api-key} (add {@code --data-dir} to count lost events there).
 */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Concurrent streams, sustained events/s, fetch latency, lost events.")
public final class LoadBenchCommand implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--streams", description = "Listen streams to hold (default ${DEFAULT-VALUE}).", defaultValue = "1000")
  int streams;

  @Option(names = "--seconds", description = "How long to send events and fetch (default ${DEFAULT-VALUE}).", defaultValue = "20")
  int seconds;

  @Option(names = "--rate", description = "Conversation events per second over all streams (default ${DEFAULT-VALUE}).", defaultValue = "500")
  int rate;

  @Option(names = "--fetch-rate", description = "REST context fetches per second (default ${DEFAULT-VALUE}).", defaultValue = "20")
  int fetchRate;

  @Option(names = "--open-rate", description = "Streams opened per second (default ${DEFAULT-VALUE}).", defaultValue = "2000")
  int openRate;

  @Option(names = "--connections", description = "HTTP/2 connections the streams share (default ${DEFAULT-VALUE}).", defaultValue = "8")
  int connections;

  @Option(names = "--grpc-target", description = "host:port of a running server (default: start an embedded one).")
  String grpcTarget;

  @Option(names = "--http-base", description = "REST base URL of that server, e.g. http://127.0.0.1:8080.")
  String httpBase;

  @Option(names = "--api-key", description = "API key for that server.")
  String apiKey;

  @Option(names = "--data-dir", description = "Data folder of that server, read-only, to count recorded events.")
  Path dataDir;

  @Option(names = "--store-url", description = "Or the database of that server (jdbc:postgresql://...), to count recorded events there.")
  String storeUrl;

  @Option(names = "--catch-up-seconds", description = "Embedded server: how long to wait for the background backlog after sending (default ${DEFAULT-VALUE}).",
      defaultValue = "900")
  int catchUpSeconds;

  @Option(names = "--out", description = "Write the results as JSON to this file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (streams < 1 || seconds < 1 || rate < 0 || fetchRate < 0 || openRate < 1 || connections < 1) {
      throw new IllegalArgumentException("--streams, --seconds, --open-rate and --connections must be positive; rates not negative");
    }
    boolean embedded = grpcTarget == null;
    if (!embedded && (httpBase == null || apiKey == null)) throw new IllegalArgumentException("--grpc-target needs --http-base and --api-key");
    Path tempDir = embedded ? Files.createTempDirectory("synap-bench-load") : null;
    SynapServer server = embedded ? SynapServer.start(ServerConfig.forTests(tempDir).withMaxQueued(10_000_000)) : null;
    try {
      String host = embedded ? "127.0.0.1" : grpcTarget.substring(0, grpcTarget.lastIndexOf(':'));
      int port = embedded ? server.grpcPort() : Integer.parseInt(grpcTarget.substring(grpcTarget.lastIndexOf(':') + 1));
      String base = embedded ? "http://127.0.0.1:" + server.httpPort() : httpBase.replaceAll("/+$", "");
      String key = embedded ? server.bootstrapKey().orElseThrow().secret() : apiKey;
      StoreSettings store = embedded ? StoreSettings.embedded(tempDir)
          : storeUrl != null ? new StoreSettings(dataDir, storeUrl, null, null, 2)
          : dataDir != null ? StoreSettings.embedded(dataDir) : null;
      Map<String, Object> result = run(host, port, base, key, store, server);
      print(result);
      dev.synap.bench.BenchFiles.writeJson(out, result);
      return 0;
    } finally {
      if (server != null) server.close();
      if (tempDir != null) dev.synap.bench.BenchFiles.deleteQuietly(tempDir);
    }
  }

  private Map<String, Object> run(String host, int port, String base, String key, StoreSettings store, SynapServer server) throws Exception {
    boolean embedded = server != null;
    long storedBefore = store == null ? 0 : Stores.countMessages(store);
    Map<String, Object> r = new LinkedHashMap<>();
    try (StreamFleet fleet = new StreamFleet(host, port, key, connections)) {
      long openStart = System.nanoTime();
      System.err.printf("opening %d streams over %d connections...%n", streams, connections);
      fleet.open(streams, openRate);
      int heldAtStart = fleet.held(30_000);
      double openSeconds = (System.nanoTime() - openStart) / 1e9;
      System.err.printf("%d streams answering after %.1f s; sending %d events/s and %d fetches/s for %d s...%n", heldAtStart, openSeconds, rate,
          fetchRate, seconds);
      FetchLoad fetches = new FetchLoad(base, key);
      Thread fetcher = Thread.ofVirtual().start(() -> {
        try {
          fetches.run(fetchRate, seconds);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      long sendStart = System.nanoTime();
      CpuByStage cpuBefore = CpuByStage.snapshot();
      fleet.sendEvents(rate, seconds);
      double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
      fetcher.join();
      // CPU per operation (a stream event or a fetch) while sending: run with --fetch-rate 0 for
      // events alone, or --rate 0 for fetches alone.
      Map<String, Object> cpu = embedded ? CpuByStage.snapshot().perEventSince(cpuBefore, fleet.sent.get() + fetches.latency.count()) : null;
      System.err.printf("fetch ms while sending: %s%n", fetches.latency.summary());
      Map<String, Object> backlog = embedded ? catchUp(server, catchUpSeconds) : null;
      int heldAtEnd = fleet.held(30_000);
      long sent = fleet.sent.get();
      Long recorded = store == null ? null : awaitRecorded(store, storedBefore, sent);
      r.put("streams_requested", streams);
      r.put("streams_held", Math.min(heldAtStart, heldAtEnd));
      r.put("streams_held_at_start", heldAtStart);
      r.put("streams_held_at_end", heldAtEnd);
      r.put("open_seconds", Percentiles.round(openSeconds));
      r.put("target_events_per_s", rate);
      r.put("events_sent", sent);
      r.put("events_per_s", Percentiles.round(sent / sendSeconds));
      r.put("events_recorded", recorded);
      r.put("events_lost", recorded == null ? null : Math.max(0, sent - recorded));
      r.put("errors", fleet.errors.get() + fleet.throttled.get() + fleet.invalid.get() + fetches.errors.get());
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("stream_errors", fleet.errors.get());
      detail.put("throttled", fleet.throttled.get());
      detail.put("invalid_event", fleet.invalid.get());
      detail.put("fetch_errors", fetches.errors.get());
      fetches.failures.forEach((why, n) -> detail.put("fetch_" + why, n.get()));
      r.put("error_detail", detail);
      r.put("bundles_pushed", fleet.bundles.get());
      r.put("fetch_ms", fetches.latency.summary());
      r.put("background", backlog);
      r.put("cpu_us_per_operation", cpu);
      r.put("heap_mb", embedded ? heapAfterGcMb() : null);
      r.put("heap_note", embedded ? "in-process: server plus the load generator's own streams" : "not measured (remote server)");
      r.put("seconds", seconds);
      r.put("connections", connections);
    }
    return r;
  }

  /**
   * How far background work (extraction, embedding) fell behind while reads had priority: the
   * backlog when sending stopped, and how long the server then took to extract and index it all.
   */
  private static Map<String, Object> catchUp(SynapServer server, int limitSeconds) throws InterruptedException {
    var engine = server.engine();
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("queued_at_end", engine.ingest().queueDepth());
    b.put("index_jobs_at_end", engine.index().pendingJobs());
    b.put("yields_to_reads", engine.readPriority().yields());
    b.put("yielded_s", Percentiles.round(engine.readPriority().yieldedSeconds()));
    System.err.printf("background backlog when sending stopped: %s messages to extract, %s index jobs; waiting up to %d s for it...%n",
        b.get("queued_at_end"), b.get("index_jobs_at_end"), limitSeconds);
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(limitSeconds);
    boolean idle = false;
    while (!idle && System.nanoTime() < deadline) {
      idle = engine.awaitIdle(java.time.Duration.ofSeconds(10));
      if (!idle) {
        System.err.printf("  %.0f s: %d to extract, %d index jobs%n", (System.nanoTime() - t0) / 1e9, engine.ingest().queueDepth(),
            engine.index().pendingJobs());
      }
    }
    b.put("catch_up_s", idle ? Percentiles.round((System.nanoTime() - t0) / 1e9) : null);
    b.put("caught_up", idle);
    return b;
  }

  /** Waits until the store holds every event sent (records are durable before they are acknowledged, but arrive asynchronously). */
  private static long awaitRecorded(StoreSettings store, long before, long sent) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long recorded;
    do {
      recorded = Stores.countMessages(store) - before;
      if (recorded >= sent) break;
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return recorded;
  }

  private static long heapAfterGcMb() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }

  @SuppressWarnings("unchecked")
  private static void print(Map<String, Object> r) {
    Map<String, Object> f = (Map<String, Object>) r.get("fetch_ms");
    System.out.println();
    System.out.printf("%-22s %s%n", "streams held", r.get("streams_held") + " / " + r.get("streams_requested"));
    System.out.printf("%-22s %s (target %s)%n", "events/s", r.get("events_per_s"), r.get("target_events_per_s"));
    System.out.printf("%-22s %s sent, %s recorded, %s lost%n", "events", r.get("events_sent"), r.get("events_recorded"), r.get("events_lost"));
    System.out.printf("%-22s %s %s%n", "errors", r.get("errors"), r.get("error_detail"));
    System.out.printf("%-22s p50 %s  p95 %s  p99 %s  (n=%s)%n", "fetch ms", f.get("p50"), f.get("p95"), f.get("p99"), f.get("n"));
    System.out.printf("%-22s %s%n", "heap MB after GC", r.get("heap_mb"));
    if (r.get("background") != null) System.out.printf("%-22s %s%n", "background", r.get("background"));
    if (r.get("cpu_us_per_operation") != null) System.out.printf("%-22s %s%n", "CPU us/operation", r.get("cpu_us_per_operation"));
  }

}
