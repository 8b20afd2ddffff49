package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * the client tries three times, waits between attempts, and not after the last one. (A plain
 * socket rather than the JDK's HTTP server: the SDK's tests run inside its module, which does not
 * read {@code jdk.httpserver}.)
 */
class RestRetryTest {
  ServerSocket unavailable;
  final List<Long> requestsAt = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    unavailable = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      while (!unavailable.isClosed()) {
        try {
          Socket s = unavailable.accept();
          Thread.ofVirtual().start(() -> answer503(s));
        } catch (IOException closed) {
          return;
        }
      }
    });
  }

  /** Reads one request head (the client sends GET without a body) and answers 503, closing the connection. */
  private void answer503(Socket s) {
    try (s) {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // request line and headers
      }
      requestsAt.add(System.nanoTime());
      byte[] body = "{\"detail\":\"down for maintenance\"}".getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  @AfterEach
  void stop() throws IOException {
    unavailable.close();
  }

  @Test
  void theLastFailedAttemptThrowsAtOnce() {
    try (Synap synap = Synap.builder().apiKey("sk_test").baseUrl("http://127.0.0.1:" + unavailable.getLocalPort())
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
