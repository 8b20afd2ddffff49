package dev.synap.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * JSON over HTTP with the official client's headers and status mapping (contract 6.3 and 8).
 *
 * <p>Retries: up to three attempts for network failures, 429 (after its Retry-After, capped) and
 * 502/503/504, with exponential backoff plus jitter. The official client's retry policy intends
 * this but never applies it to status errors; ours does what the documentation describes.
 */
final class RestTransport implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int ATTEMPTS = 3;

  private final SynapConfig config;
  private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private volatile String clientId = "";
  private volatile String instanceId = "";

  RestTransport(SynapConfig config) {
    this.config = config;
    // Virtual threads for the client's internal hand-offs: each response otherwise hops through a
    // platform thread pool, which costs more CPU than the request itself on a loaded small machine.
    this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).version(HttpClient.Version.HTTP_1_1).executor(callbacks).build();
  }

  void identify(String clientId, String instanceId) {
    this.clientId = clientId == null ? "" : clientId;
    this.instanceId = instanceId == null ? "" : instanceId;
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  JsonNode post(String path, Object body) {
    return send("POST", path, body);
  }

  JsonNode send(String method, String path, Object body) {
    String correlationId = correlationId();
    String json;
    try {
      json = body == null ? null : MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("request is not serialisable: " + e.getOriginalMessage(), correlationId);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
        .timeout(config.requestTimeout())
        .header("Authorization", "Bearer " + config.apiKey())
        .header("X-Correlation-ID", correlationId)
        .header("X-Client-ID", clientId)
        .header("X-Instance-ID", instanceId)
        .header("Content-Type", "application/json");
    b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody()) : b.method(method, HttpRequest.BodyPublishers.ofString(json));
    HttpRequest request = b.build();
    SynapException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return interpret(response, correlationId);
      } catch (RateLimitException e) {
        last = e;
        waitBeforeRetry(attempt, e.retryAfterSeconds() == null ? backoffMillis(attempt) : Math.min(10_000L, e.retryAfterSeconds() * 1000L));
      } catch (ServiceUnavailableException e) {
        last = e;
        waitBeforeRetry(attempt, backoffMillis(attempt));
      } catch (IOException e) {
        last = new NetworkTimeoutException("cannot reach " + config.baseUrl() + ": " + e, correlationId);
        waitBeforeRetry(attempt, backoffMillis(attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NetworkTimeoutException("interrupted", correlationId);
      }
    }
    throw last;
  }

  private static JsonNode interpret(HttpResponse<String> r, String correlationId) {
    int status = r.statusCode();
    if (status == 200 || status == 204) {
      if (status == 204 || r.body() == null || r.body().isBlank()) return MAPPER.createObjectNode();
      try {
        return MAPPER.readTree(r.body());
      } catch (JsonProcessingException e) {
        throw new SynapTransientException("server sent a non-JSON body", correlationId);
      }
    }
    JsonNode body = null;
    try {
      body = r.body() == null || r.body().isBlank() ? null : MAPPER.readTree(r.body());
    } catch (JsonProcessingException ignored) {
      // the raw text becomes the message
    }
    JsonNode detail = body != null && body.isObject() ? body.get("detail") : null;
    String message = detail == null ? r.body() : detail.isTextual() ? detail.asText() : detail.toString();
    String correlation = r.headers().firstValue("X-Correlation-Id").orElse(correlationId);
    String code = body != null && body.hasNonNull("code") ? body.get("code").asText()
        : detail != null && detail.isObject() && detail.hasNonNull("code") ? detail.get("code").asText() : null;
    java.util.Map<String, Object> details = body != null && body.path("details").isObject()
        ? MAPPER.convertValue(body.get("details"), new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() {})
        : java.util.Map.of();
    throw error(r, status, message, detail, correlation).describe(code, details);
  }

  private static SynapException error(HttpResponse<String> r, int status, String message, JsonNode detail, String correlationId) {
    switch (status) {
      case 400, 422 -> {
        return new InvalidInputException(message, correlationId);
      }
      case 401 -> {
        return new AuthenticationException(message, correlationId);
      }
      case 402 -> {
        return new InsufficientCreditsException(message, correlationId);
      }
      case 404 -> {
        return new ContextNotFoundException(message, correlationId);
      }
      case 409 -> {
        if (detail != null && detail.isObject() && "transcript_conflict".equals(detail.path("code").asText())) {
          return new TranscriptConflictException(detail.path("message").asText(message), correlationId);
        }
        return new ConflictException(message, correlationId);
      }
      case 429 -> {
        return new RateLimitException(message, header(r, "Retry-After"), header(r, "X-RateLimit-Limit"), header(r, "X-RateLimit-Remaining"),
            correlationId);
      }
      default -> {
        if (status >= 500) return new ServiceUnavailableException(message, correlationId);
        return new SynapTransientException("HTTP " + status + ": " + message, correlationId);
      }
    }
  }

  /** An integer header, or null when absent or not an integer. */
  private static Integer header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).map(v -> {
      try {
        return Integer.parseInt(v.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }).orElse(null);
  }

  private static long backoffMillis(int attempt) {
    long base = Math.min(10_000L, 1000L << (attempt - 1));
    return base + ThreadLocalRandom.current().nextLong(base / 4 + 1);
  }

  /** Waits before the next attempt; after the last one there is none, so the caller gets the error at once. */
  private static void waitBeforeRetry(int attempt, long millis) {
    if (attempt < ATTEMPTS) sleep(millis);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String correlationId() {
    String inst = instanceId.length() >= 6 ? instanceId.substring(0, 6) : instanceId;
    byte[] r = new byte[3];
    ThreadLocalRandom.current().nextBytes(r);
    return "syn_" + inst + "_" + System.currentTimeMillis() + "_" + HexFormat.of().formatHex(r);
  }

  @Override
  public void close() {
    http.close();
    callbacks.shutdown();
  }
}
