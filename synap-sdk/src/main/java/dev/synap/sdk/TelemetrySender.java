package dev.synap.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches telemetry the way the official client does (contract 9.13): a bounded queue of 1000
 * events (the oldest is dropped when full), flushed every 10 s or as soon as 50 are waiting, by
 * its own HTTP client with a 5 s timeout; a batch that fails is retried twice, 1 s apart, then
 * dropped. Telemetry must never slow down or break the application, so nothing here throws.
 * Off unless the builder says {@code telemetry(true)}.
 */
final class TelemetrySender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetrySender.class);
  static final int QUEUE_LIMIT = 1000;
  static final int FLUSH_AT = 50;
  static final int RETRIES = 2;
  static final String SDK_VERSION = "synap-java/0.1.0";

  private final boolean enabled;
  private final String url;
  private final String apiKey;
  private volatile Identity identity;
  private final Duration interval;
  private final Duration retryDelay;
  private final Deque<SdkEvent> queue = new ArrayDeque<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final HttpClient http;
  private final Thread flusher;
  private volatile boolean closed;

  /** A sender that does nothing. */
  static TelemetrySender off() {
    return new TelemetrySender(false, "", null, Duration.ofSeconds(10), Duration.ofSeconds(1));
  }

  TelemetrySender(String baseUrl, String apiKey, Duration interval, Duration retryDelay) {
    this(true, baseUrl, apiKey, interval, retryDelay);
  }

  private TelemetrySender(boolean enabled, String baseUrl, String apiKey, Duration interval, Duration retryDelay) {
    this.enabled = enabled;
    this.url = baseUrl + "/v1/telemetry/batch";
    this.apiKey = apiKey;
    this.interval = interval;
    this.retryDelay = retryDelay;
    this.http = enabled ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build() : null;
    this.flusher = enabled ? Thread.ofVirtual().name("synap-telemetry").start(this::flushLoop) : null;
  }

  /** The whoami ids, once known, for the X-Client-ID / X-Instance-ID headers and each event. */
  void identify(Identity id) {
    this.identity = id;
  }

  void record(SdkEvent e) {
    if (!enabled || closed) return;
    synchronized (queue) {
      if (queue.size() >= QUEUE_LIMIT) {
        queue.pollFirst();
        dropped.incrementAndGet();
      }
      queue.addLast(e);
      if (queue.size() >= FLUSH_AT) queue.notifyAll();
    }
  }

  /** Events dropped because the queue was full or their batch failed three times. */
  long dropped() {
    return dropped.get();
  }

  int queued() {
    synchronized (queue) {
      return queue.size();
    }
  }

  /** Events the server accepted. */
  long sent() {
    return sent.get();
  }

  private void flushLoop() {
    while (!closed) {
      try {
        synchronized (queue) {
          if (queue.size() < FLUSH_AT) queue.wait(interval.toMillis());
        }
      } catch (InterruptedException e) {
        return;
      }
      flush(RETRIES);
    }
  }

  private void flush(int retries) {
    List<SdkEvent> batch;
    synchronized (queue) {
      if (queue.isEmpty()) return;
      batch = new ArrayList<>(queue);
      queue.clear();
    }
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0 && !pause()) break;
      if (post(batch)) {
        sent.addAndGet(batch.size());
        return;
      }
    }
    dropped.addAndGet(batch.size());
    LOG.debug("dropped {} telemetry events after {} retries", batch.size(), retries);
  }

  private boolean pause() {
    try {
      Thread.sleep(retryDelay);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean post(List<SdkEvent> batch) {
    Identity id = identity;
    String clientId = id == null ? "" : id.clientId();
    String instanceId = id == null ? "" : id.instanceId();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("events", batch.stream().map(e -> e.json(clientId, instanceId)).toList());
    body.put("sdk_version", SDK_VERSION);
    byte[] random = new byte[8];
    ThreadLocalRandom.current().nextBytes(random);
    body.put("batch_id", HexFormat.of().formatHex(random));
    body.put("created_at", LocalDateTime.now(ZoneOffset.UTC).toString());
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
          .header("Authorization", "Bearer " + apiKey).header("X-Client-ID", clientId).header("X-Instance-ID", instanceId)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(RestTransport.MAPPER.writeValueAsString(body))).build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status == 200 || status == 202;
    } catch (JsonProcessingException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.debug("telemetry upload failed: {}", e.toString());
      return false;
    }
  }

  /** Sends what is queued, once, without retries: shutdown must not wait on an unreachable server. */
  @Override
  public void close() {
    if (!enabled || closed) return;
    closed = true;
    synchronized (queue) {
      queue.notifyAll();
    }
    try {
      // A flush in progress gets a moment to finish; one stuck retrying a dead server is cut short.
      if (!flusher.join(Duration.ofSeconds(2))) flusher.interrupt();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush(0);
    http.close();
  }
}
