package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Body limits hold while a body is read, not only against {@code Content-Length}: a chunked body
 * (no length announced) over the limit is refused with 413 and the envelope as soon as it passes
 * the limit, so the server neither buffers nor reads it whole. Raw sockets, because an HTTP client
 * would stop at the first write error and hide whether the server answered.
 */
class BodyLimitTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** The server's REST body limit (8 MB). */
  static final long LIMIT = 8L * 1024 * 1024;
  /** What the test offers: far more than the limit plus every socket buffer between the two ends. */
  static final long OFFERED = 160L * 1024 * 1024;
  /**
   * What may have left the client before the refusal stops it: the limit, loopback socket buffers
   * on both sides (a few MB each) and Jetty's input buffers. Reading the whole body would pass it.
   */
  static final long MAX_SENT = 48L * 1024 * 1024;

  @TempDir Path dir;
  RunningServer rs;

  @BeforeEach
  void start() {
    rs = new RunningServer(dir);
  }

  @AfterEach
  void stop() {
    rs.close();
  }

  @Test
  void aChunkedJsonBodyOverTheLimitIsRefusedWith413WhileItIsStillArriving() throws Exception {
    byte[] head = "{\"conversation_id\":\"c\",\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8);
    Exchange x = chunked("/v1/conversations/messages", "application/json", head, (byte) 'a', OFFERED, new byte[0]);
    assertThat(x.status).as(x.body).isEqualTo(413);
    JsonNode body = JSON.readTree(x.body);
    assertThat(body.path("code").asText()).isEqualTo("payload_too_large");
    assertThat(body.path("detail").asText()).contains("8388608");
    assertThat(x.sent.get()).as("bytes the server let the client send").isLessThan(MAX_SENT);
    assertThat(rs.get("/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedOnEveryRouteThatReadsOne() throws Exception {
    for (String path : new String[] {"/v1/context/user/fetch", "/v1/telemetry/batch", "/api/v1/memories/create",
        "/v1/conversations/compact"}) {
      Exchange x = chunked(path, "application/json", "{\"x\":\"".getBytes(StandardCharsets.UTF_8), (byte) 'b', 3 * LIMIT, new byte[0]);
      assertThat(x.status).as(path + ": " + x.body).isEqualTo(413);
      assertThat(JSON.readTree(x.body).path("code").asText()).isEqualTo("payload_too_large");
      assertThat(x.sent.get()).as(path).isLessThan(MAX_SENT);
    }
  }

  @Test
  void aChunkedMultipartUploadOverTheLimitIsRefusedWith413() throws Exception {
    String boundary = "synapboundary";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\nalice\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    Exchange x = chunked("/api/v1/memories/upload", "multipart/form-data; boundary=" + boundary, head, (byte) 'c', OFFERED, tail);
    assertThat(x.status).as(x.body).isEqualTo(413);
    assertThat(JSON.readTree(x.body).path("code").asText()).isEqualTo("payload_too_large");
    assertThat(x.sent.get()).isLessThan(MAX_SENT);
    assertThat(rs.get("/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aFileOverThePerFileLimitIsRefusedEvenWhenTheRequestIsUnderItsLimit() throws Exception {
    String boundary = "synapboundary";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    Exchange x = chunked("/api/v1/memories/upload", "multipart/form-data; boundary=" + boundary, head, (byte) 'd', 5L * 1024 * 1024, tail);
    assertThat(x.status).as(x.body).isEqualTo(413);
    assertThat(JSON.readTree(x.body).path("code").asText()).isEqualTo("payload_too_large");
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws Exception {
    try (Socket s = new Socket("127.0.0.1", rs.server.httpPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("POST /v1/context/user/fetch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + rs.key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Exchange x = new Exchange();
      x.read(s.getInputStream());
      assertThat(x.status).as(x.body).isEqualTo(413);
      assertThat(JSON.readTree(x.body).path("code").asText()).isEqualTo("payload_too_large");
    }
  }

  @Test
  void chunkedRequestsUnderTheLimitStillWork() throws Exception {
    String conv = UUID.randomUUID().toString();
    byte[] json = ("{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"user_id\":\"alice\",\"content\":\"My dog is called Rex\"}")
        .getBytes(StandardCharsets.UTF_8);
    Exchange record = chunked("/v1/conversations/messages", "application/json", json, (byte) ' ', 0, new byte[0]);
    assertThat(record.status).as(record.body).isEqualTo(200);
    assertThat(JSON.readTree(record.body).path("status").asText()).isEqualTo("queued");

    String boundary = "synapboundary";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\nalice\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.md\"\r\n"
        + "Content-Type: text/markdown\r\n\r\n# Notes\n\nAlice prefers window seats.\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    // A 600 KB file (under the 4 MB per-file limit) sent in chunks.
    Exchange upload = chunked("/api/v1/memories/upload", "multipart/form-data; boundary=" + boundary, head, (byte) ' ', 600 * 1024, tail);
    assertThat(upload.status).as(upload.body).isEqualTo(200);
    assertThat(JSON.readTree(upload.body).path("ingestion_id").asText()).isNotBlank();
  }

  /** What came back, and how many body bytes the client managed to send. */
  static final class Exchange {
    final AtomicLong sent = new AtomicLong();
    int status;
    String body = "";

    void read(InputStream in) throws IOException {
      ByteArrayOutputStream headers = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1) {
        headers.write(c);
        byte[] h = headers.toByteArray();
        if (h.length >= 4 && h[h.length - 4] == '\r' && h[h.length - 3] == '\n' && h[h.length - 2] == '\r' && h[h.length - 1] == '\n') break;
      }
      String head = headers.toString(StandardCharsets.ISO_8859_1);
      status = Integer.parseInt(head.split(" ", 3)[1]);
      int length = -1;
      boolean chunked = false;
      for (String line : head.split("\r\n")) {
        String lower = line.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
        if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
      }
      if (length >= 0) body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      else if (chunked) body = new String(dechunk(in), StandardCharsets.UTF_8);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        StringBuilder size = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') if (c != '\r') size.append((char) c);
        int n = Integer.parseInt(size.toString().split(";")[0].strip(), 16);
        if (n == 0) return out.toByteArray();
        out.write(in.readNBytes(n));
        in.readNBytes(2);
      }
    }
  }

  /**
   * Sends {@code head}, then {@code fillCount} bytes of {@code fill}, then {@code tail}, as a
   * chunked body, while reading the answer on the same socket; the sender stops when the server
   * answers or closes.
   */
  private Exchange chunked(String path, String contentType, byte[] head, byte fill, long fillCount, byte[] tail) throws Exception {
    Exchange x = new Exchange();
    try (Socket s = new Socket("127.0.0.1", rs.server.httpPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + rs.key + "\r\nContent-Type: " + contentType
          + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      CompletableFuture<Void> answered = new CompletableFuture<>();
      Thread sender = Thread.ofVirtual().start(() -> {
        try {
          chunk(out, head, head.length, x);
          byte[] block = new byte[64 * 1024];
          Arrays.fill(block, fill);
          for (long left = fillCount; left > 0 && !answered.isDone(); left -= block.length) {
            chunk(out, block, (int) Math.min(block.length, left), x);
          }
          if (!answered.isDone()) {
            chunk(out, tail, tail.length, x);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        } catch (IOException closedByServer) {
          // expected once the server refuses the body and closes the connection
        }
      });
      try {
        x.read(s.getInputStream());
      } finally {
        answered.complete(null);
      }
      sender.join(TimeUnit.SECONDS.toMillis(30));
    }
    return x;
  }

  private static void chunk(OutputStream out, byte[] data, int length, Exchange x) throws IOException {
    if (length == 0) return;
    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data, 0, length);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    x.sent.addAndGet(length);
  }
}
