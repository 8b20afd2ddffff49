package dev.synap.bench;

import dev.synap.sdk.RecordMessage;
import dev.synap.sdk.Synap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Acknowledged {@code record_message} throughput: {@code n} messages from {@code c} concurrent
 * clients (virtual threads, one conversation and user each), each acknowledgement timed. What the
 * ingest and cluster benchmarks both call "acks per second".
 */
public final class AckPhase {
  private AckPhase() {}

  /**
   * @return {@code clients, messages, seconds, ack_per_s, ack_ms{p50,p95,p99,n}, errors}; a refused
   *     or failed call counts as an error and not as an acknowledgement
   */
  public static Map<String, Object> run(Synap synap, int n, int c, String label) throws InterruptedException {
    Percentiles ack = new Percentiles();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    String run = UUID.randomUUID().toString().substring(0, 8);
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < c; t++) {
        String conv = UUID.randomUUID().toString();
        String user = "bench-user-" + run + "-" + t;
        futures.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < n) {
            long t0 = System.nanoTime();
            try {
              synap.conversation().recordMessage(RecordMessage.user(conv, SyntheticText.sentence(i)).userId(user).build());
              ack.add((System.nanoTime() - t0) / 1e6);
            } catch (RuntimeException e) {
              errors.incrementAndGet();
            }
            Progress.show(i, n, label);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          errors.incrementAndGet();
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Progress.done();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clients", c);
    m.put("messages", n);
    m.put("seconds", Percentiles.round(seconds));
    m.put("ack_per_s", Percentiles.round(ack.count() / seconds));
    m.put("ack_ms", ack.summary());
    m.put("errors", errors.get());
    return m;
  }
}
