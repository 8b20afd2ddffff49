package dev.synap.bench.load;

import dev.synap.bench.Percentiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** REST context fetches at a fixed rate, each on its own virtual thread, timed end to end. */
final class FetchLoad {
  final Percentiles latency = new Percentiles();
  final AtomicLong errors = new AtomicLong();
  /** Why fetches failed: HTTP status, or the exception's class for network failures. */
  final java.util.concurrent.ConcurrentMap<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  private final String url;
  private final String apiKey;

  FetchLoad(String httpBase, String apiKey) {
    this.url = httpBase + "/v1/context/user/fetch";
    this.apiKey = apiKey;
  }

  /** Runs for {@code seconds}; returns when every fetch it started has finished (or timed out). */
  void run(int perSecond, int seconds) throws InterruptedException {
    if (perSecond <= 0) return;
    long start = System.nanoTime();
    long total = (long) perSecond * seconds;
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < total; i++) {
        long wait = start + (long) (i * 1e9 / perSecond) - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        long n = i;
        threads.submit(() -> fetch(n));
      }
    }
  }

  private void fetch(long i) {
    String body = "{\"user_id\":\"load-user-" + (i % 1000) + "\",\"search_query\":[\"" + Sentences.pick(i).split(" \\(")[0] + "\"],"
        + "\"max_results\":10,\"types\":[\"all\"],\"mode\":\"fast\"}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    long t0 = System.nanoTime();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status == 200) latency.add((System.nanoTime() - t0) / 1e6);
      else failed("http_" + status);
    } catch (Exception e) {
      failed(e.getClass().getSimpleName());
    }
  }

  private void failed(String why) {
    errors.incrementAndGet();
    failures.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
  }
}
