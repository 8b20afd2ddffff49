package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client's retries, against a loopback HTTP server that answers every request with 503:
 * the client tries three times, waits between attempts, and not after the last one.
 */
class RestRetryTest {
  HttpServer unavailable;
  final List<Long> requestsAt = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    unavailable = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    unavailable.createContext("/", exchange -> {
      requestsAt.add(System.nanoTime());
      byte[] body = "{\"detail\":\"down for maintenance\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(503, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    unavailable.start();
  }

  @AfterEach
  void stop() {
    unavailable.stop(0);
  }

  @Test
  void theLastFailedAttemptThrowsAtOnce() {
    try (Synap synap = Synap.builder().apiKey("sk_test").baseUrl("http://127.0.0.1:" + unavailable.getAddress().getPort())
        .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(2)).build()) {
      assertThatThrownBy(() -> synap.memories().get("m1")).isInstanceOf(ServiceUnavailableException.class)
          .hasMessageContaining("down for maintenance");
      long thrownAt = System.nanoTime();
      assertThat(requestsAt).hasSize(3);
      // Backoff between attempts: about 1 s, then about 2 s (each plus up to a quarter of jitter).
      assertThat(requestsAt.get(1) - requestsAt.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
      assertThat(requestsAt.get(2) - requestsAt.get(1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2000));
      // After the third answer there is nothing left to wait for: the exception comes at once
      // (it used to come after a further backoff of 4 to 5 s).
      assertThat(TimeUnit.NANOSECONDS.toMillis(thrownAt - requestsAt.get(2))).as("ms from the last answer to the exception").isLessThan(500);
    }
  }
}
