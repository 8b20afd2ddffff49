package dev.synap.bench.ingest;

import dev.synap.bench.AckPhase;
import dev.synap.bench.CpuByStage;
import dev.synap.bench.MachineProfile;
import dev.synap.bench.Percentiles;
import dev.synap.bench.Progress;
import dev.synap.bench.SyntheticText;
import dev.synap.core.extract.Extractor;
import dev.synap.core.model.Message;
import dev.synap.sdk.FetchRequest;
import dev.synap.sdk.RecordMessage;
import dev.synap.sdk.Synap;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synap bench ingest}: acknowledged record_message throughput and latency over REST
 * against a real embedded server (durability on: every acknowledged message is fsynced), single
 * and concurrent clients; offline extraction throughput; and read-after-write lag at a steady rate.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Ingest throughput, ack latency and read-after-write lag.")
public final class IngestBenchCommand implements Callable<Integer> {
  @Option(names = "--messages", description = "Messages for the concurrent phase (default ${DEFAULT-VALUE}).", defaultValue = "20000")
  int messages;

  @Option(names = "--single", description = "Messages for the single-client phase (default ${DEFAULT-VALUE}).", defaultValue = "2000")
  int single;

  @Option(names = "--clients", description = "Concurrent clients (default ${DEFAULT-VALUE}).", defaultValue = "32")
  int clients;

  @Option(names = "--rate", description = "Steady rate for the lag phase, messages/s (default ${DEFAULT-VALUE}).", defaultValue = "200")
  int rate;

  @Option(names = "--lag-seconds", description = "Length of the lag phase (default ${DEFAULT-VALUE}).", defaultValue = "15")
  int lagSeconds;

  @Option(names = "--lag-sample", description = "Poll for every Nth message of the lag phase (default ${DEFAULT-VALUE}).", defaultValue = "10")
  int lagSample;

  @Option(names = "--burst-only", description = "Stop after the concurrent phase: acks and CPU per stage only, no catch-up or lag phase.")
  boolean burstOnly;

  @Option(names = "--out", description = "Write the results as JSON to this file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("synap-bench-ingest");
    Map<String, Object> result = new LinkedHashMap<>();
    MachineProfile machine = MachineProfile.measure(dir);
    System.err.println(machine.headline());
    result.put("machine", machine.toJson());
    try (SynapServer server = SynapServer.start(ServerConfig.forTests(dir).withMaxQueued(10_000_000));
        Synap synap = Synap.builder().apiKey(server.bootstrapKey().orElseThrow().secret()).baseUrl("http://127.0.0.1:" + server.httpPort())
            .grpcPort(server.grpcPort()).requestTimeout(Duration.ofSeconds(60)).build()) {
      warmUp(synap);
      Map<String, Object> singleRun = AckPhase.run(synap, single, 1, "single client");
      CpuByStage beforeBurst = CpuByStage.snapshot();
      Map<String, Object> concurrentRun = AckPhase.run(synap, messages, clients, clients + " clients");
      CpuByStage afterBurst = CpuByStage.snapshot();
      result.put("ack_per_s", concurrentRun.get("ack_per_s"));
      result.put("ack_ms", concurrentRun.get("ack_ms"));
      result.put("single_client", singleRun);
      result.put("concurrent_clients", concurrentRun);
      if (burstOnly) {
        result.put("cpu_us_per_message", Map.of("during_burst", afterBurst.perEventSince(beforeBurst, messages)));
        System.out.println(result);
        dev.synap.bench.BenchFiles.writeJson(out, result);
        return 0;
      }
      // The lag phase measures a steady rate, not the tail of the burst above: let extraction and
      // the dense index catch up first, and report how long that took.
      long burstEnd = System.nanoTime();
      waitForQueue(server);
      server.engine().index().awaitIdle(Duration.ofMinutes(10));
      result.put("catch_up_after_burst_s", Percentiles.round((System.nanoTime() - burstEnd) / 1e9));
      // CPU per message by stage: during the burst (what an acknowledgement costs, with whatever
      // background work ran beside it), and for the whole life of a message once everything is done.
      Map<String, Object> cpu = new LinkedHashMap<>();
      cpu.put("during_burst", afterBurst.perEventSince(beforeBurst, messages));
      cpu.put("burst_and_catch_up", CpuByStage.snapshot().perEventSince(beforeBurst, messages));
      result.put("cpu_us_per_message", cpu);
      result.put("extraction", extraction(server));
      result.put("lag_ms", lagPhase(synap, server));
    } finally {
      dev.synap.bench.BenchFiles.deleteQuietly(dir);
    }
    print(result);
    dev.synap.bench.BenchFiles.writeJson(out, result);
    return 0;
  }

  private static void warmUp(Synap synap) {
    String conv = UUID.randomUUID().toString();
    for (int i = 0; i < 300; i++) synap.conversation().recordMessage(RecordMessage.user(conv, "warm up " + i).userId("warm").build());
  }

  private static Map<String, Object> extraction(SynapServer server) {
    Extractor extractor = server.engine().extractor();
    int n = 20_000;
    List<Message> batch = new ArrayList<>(n);
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      batch.add(new Message("m" + i, "inst", "c", "u", null, null, "user", "message", SyntheticText.sentence(i), Map.of(), now, now));
    }
    for (int i = 0; i < 2_000; i++) extractor.extract(batch.get(i)); // warm the JIT
    long start = System.nanoTime();
    long memories = 0;
    for (Message m : batch) memories += extractor.extract(m).size();
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("extractor", extractor.getClass().getSimpleName());
    r.put("messages_per_s", Percentiles.round(n / seconds));
    r.put("memories_per_message", Percentiles.round((double) memories / n));
    return r;
  }

  /**
   * Records at a steady rate; for every {@code lagSample}th acknowledged message a poller fetches
   * the user's context with the message's unique word until the message's memory is returned: that
   * delay is the lag. Sampled, because a poller per message at 200 messages/s would make the fetch
   * load, not the write path, what is measured.
   */
  private Map<String, Object> lagPhase(Synap synap, SynapServer server) throws Exception {
    Percentiles lag = new Percentiles();
    AtomicInteger missing = new AtomicInteger();
    int total = rate * lagSeconds;
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    String conv = UUID.randomUUID().toString();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < total; i++) {
        long due = start + i * periodNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        int id = i;
        boolean probe = i % lagSample == 0;
        pool.submit(() -> {
          String marker = "zq" + Integer.toString(id, 36) + "marker";
          String user = "lag-user-" + (id % 50);
          synap.conversation().recordMessage(RecordMessage.user(conv, "I keep the token " + marker + " in my notes.").userId(user).build());
          long acked = System.nanoTime();
          if (!probe) return null;
          long pause = 2;
          while (System.nanoTime() - acked < TimeUnit.SECONDS.toNanos(10)) {
            var ctx = synap.user().context().fetch(FetchRequest.forUser(user).query(marker).maxResults(3).build());
            if (ctx.all().stream().anyMatch(item -> item.content().contains(marker))) {
              lag.add((System.nanoTime() - acked) / 1e6);
              return null;
            }
            // Back off (2, 4, ... 50 ms): pollers must not become the load that delays what they wait for.
            Thread.sleep(pause);
            pause = Math.min(50, pause * 2);
          }
          missing.incrementAndGet();
          return null;
        });
        Progress.show(i, total, "lag at " + rate + "/s");
      }
    }
    System.err.println();
    Map<String, Object> m = lag.summary();
    m.put("rate_per_s", rate);
    m.put("sampled_every", lagSample);
    m.put("not_visible_within_10s", missing.get());
    return m;
  }

  private static void waitForQueue(SynapServer server) throws InterruptedException {
    while (server.engine().ingest().queueDepth() > 0) {
      System.err.printf("\rwaiting for extraction: %d queued   ", server.engine().ingest().queueDepth());
      Thread.sleep(200);
    }
    System.err.println();
  }

  @SuppressWarnings("unchecked")
  private static void print(Map<String, Object> r) {
    Map<String, Object> s = (Map<String, Object>) r.get("single_client");
    Map<String, Object> c = (Map<String, Object>) r.get("concurrent_clients");
    System.out.println();
    Map<String, Object> machine = (Map<String, Object>) r.get("machine");
    System.out.println("machine: " + machine);
    System.out.printf("%-34s %12s %10s %10s %10s%n", "phase", "msgs/s", "p50 ms", "p95 ms", "p99 ms");
    for (Map<String, Object> p : List.of(s, c)) {
      Map<String, Object> a = (Map<String, Object>) p.get("ack_ms");
      System.out.printf("%-34s %12.1f %10.3f %10.3f %10.3f%n", "record_message ack, " + p.get("clients") + " client(s)", p.get("ack_per_s"),
          a.get("p50"), a.get("p95"), a.get("p99"));
    }
    Map<String, Object> e = (Map<String, Object>) r.get("extraction");
    System.out.printf("%-34s %12.1f%n", "offline extraction (" + e.get("extractor") + ")", e.get("messages_per_s"));
    System.out.printf("%-34s %12s  (extraction and dense index idle again)%n", "catch-up after the burst", r.get("catch_up_after_burst_s") + " s");
    Map<String, Object> cpu = (Map<String, Object>) r.get("cpu_us_per_message");
    cpu.forEach((when, stages) -> System.out.printf("%-34s %s%n", "CPU us/message, " + when.replace('_', ' '), stages));
    Map<String, Object> l = (Map<String, Object>) r.get("lag_ms");
    System.out.printf("%-34s %12s %10.3f %10.3f %10.3f  (not visible in 10 s: %s)%n", "read-after-write lag @" + l.get("rate_per_s") + "/s, 1/" + l.get("sampled_every"), "",
        l.get("p50"), l.get("p95"), l.get("p99"), l.get("not_visible_within_10s"));
  }

}
