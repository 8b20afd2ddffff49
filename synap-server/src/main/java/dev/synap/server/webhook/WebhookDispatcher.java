package dev.synap.server.webhook;

import dev.synap.core.store.WebhookStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries. A delivery is leased ({@code sending}) for the attempt's timeout plus a
 * margin, so a crash mid-attempt leaves it due again after a restart: delivery is at least once,
 * and receivers deduplicate on {@code X-Synap-Delivery}. A 2xx answer delivers it; anything else
 * (another status, a timeout, a refused connection) schedules the next retry, or marks it
 * {@code failed} after the last one.
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int BATCH = 32;
  private static final long IDLE_POLL_MS = 1_000;

  private final WebhookStore store;
  private final WebhookSettings settings;
  private final Clock clock;
  private final HttpClient http;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore wake = new Semaphore(0);
  private final Thread loop;
  private volatile boolean running = true;

  public WebhookDispatcher(WebhookStore store, WebhookSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    this.loop = Thread.ofVirtual().name("synap-webhooks").start(this::run);
  }

  /** A delivery was stored: look for due work now rather than at the next poll. */
  public void wakeUp() {
    wake.release();
  }

  private void run() {
    while (running) {
      try {
        Instant now = clock.instant();
        List<WebhookStore.Delivery> due = store.claimDue(now, now.plus(settings.timeout()).plusSeconds(5), BATCH);
        for (WebhookStore.Delivery d : due) senders.submit(() -> attempt(d));
        if (due.size() == BATCH) continue;
        long sleep = store.nextDue().map(t -> Math.max(0, t.toEpochMilli() - clock.millis())).orElse(IDLE_POLL_MS);
        wake.tryAcquire(Math.min(Math.max(sleep, 10), IDLE_POLL_MS), TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) LOG.warn("webhook dispatch failed: {}", e.toString());
        try {
          Thread.sleep(IDLE_POLL_MS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void attempt(WebhookStore.Delivery d) {
    Integer status = null;
    String error = null;
    var hook = store.get(d.webhookId());
    if (hook.isEmpty()) {
      record(d, false, null, "webhook deleted", null);
      return;
    }
    byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(hook.get().url())).timeout(settings.timeout())
          .header("Content-Type", "application/json")
          .header("User-Agent", "synap-webhooks/1")
          .header(WebhookSigner.HEADER, WebhookSigner.signature(hook.get().secret(), body))
          .header("X-Synap-Delivery", d.deliveryId())
          .header("X-Synap-Event", d.eventType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      status = r.statusCode();
      if (status >= 200 && status < 300) {
        record(d, true, status, null, null);
        return;
      }
      error = "HTTP " + status;
    } catch (java.net.http.HttpTimeoutException e) {
      error = "timed out after " + settings.timeout().toMillis() + " ms";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // shutting down: the lease runs out and the attempt is made again after the restart
    } catch (Exception e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    int attemptNumber = d.attempts() + 1; // the first attempt is not a retry
    Duration next = attemptNumber <= settings.retryDelays().size() ? settings.retryDelays().get(attemptNumber - 1) : null;
    record(d, false, status, error, next == null ? null : clock.instant().plus(next));
  }

  private void record(WebhookStore.Delivery d, boolean delivered, Integer status, String error, Instant next) {
    if (!running) return; // closing: the lease runs out and the attempt is made again after the restart
    try {
      store.attempted(d.deliveryId(), delivered, status, error, next, clock.instant());
      if (next != null) wakeUp();
    } catch (RuntimeException e) {
      LOG.warn("could not record webhook delivery {}: {}", d.deliveryId(), e.toString());
    }
  }

  @Override
  public void close() {
    running = false;
    loop.interrupt();
    senders.shutdownNow();
    try {
      loop.join(2_000);
      senders.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
