package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import dev.synap.server.config.ServerConfig;
import dev.synap.server.limit.RateLimitSettings;
import dev.synap.server.limit.TrustedProxies;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refused-authentication budget behind a reverse proxy: the test client on loopback plays the
 * proxy (127.0.0.1 is trusted) and names the clients it forwards in X-Forwarded-For / Forwarded.
 * One client sending bad keys must not lock out another, and a valid key is never refused.
 */
class RefusalBehindProxyTest {
  static final RateLimitSettings THREE_REFUSALS = new RateLimitSettings(0, 0, 0, 0, 0.01, 3);
  static final String BAD = "sk_live_" + "0".repeat(40);
  static final String X = "203.0.113.5";
  static final String Y = "198.51.100.7";
  @TempDir Path dir;

  private RunningServer server(String trustedProxies) {
    return new RunningServer(ServerConfig.forTests(dir).withRateLimits(THREE_REFUSALS).withTrustedProxies(TrustedProxies.parse(trustedProxies)));
  }

  private static int whoami(RunningServer rs, String key, String header, String value) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + "/api/v1/auth/whoami"))
        .header("Authorization", "Bearer " + key);
    if (header != null) b.header(header, value);
    return rs.http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void behindATrustedProxyOneClientsBadKeysLockOutOnlyThatClientAndNeverItsValidKey() throws Exception {
    try (RunningServer rs = server("127.0.0.1, 10.0.0.0/8")) {
      for (int i = 0; i < 3; i++) assertThat(whoami(rs, BAD, "X-Forwarded-For", X)).isEqualTo(401);
      assertThat(whoami(rs, BAD, "X-Forwarded-For", X)).as("X has used its budget").isEqualTo(429);
      // A hop the client wrote itself (left of the proxies' own) does not give it a new budget.
      assertThat(whoami(rs, BAD, "X-Forwarded-For", "192.0.2.99, " + X + ", 10.1.2.3")).isEqualTo(429);

      assertThat(whoami(rs, BAD, "X-Forwarded-For", Y)).as("Y has its own budget").isEqualTo(401);
      assertThat(whoami(rs, rs.key, "X-Forwarded-For", Y)).isEqualTo(200);
      assertThat(whoami(rs, BAD, "Forwarded", "for=\"" + Y + ":4711\";proto=https")).as("RFC 7239 names Y too").isEqualTo(401);
      assertThat(whoami(rs, rs.key, "X-Forwarded-For", X)).as("X's valid key is never refused").isEqualTo(200);
      assertThat(whoami(rs, BAD, "X-Forwarded-For", X)).as("X's bad keys still are").isEqualTo(429);
    }
  }

  @Test
  void withoutATrustedProxyForwardingHeadersAreIgnoredButAValidKeyStillGetsIn() throws Exception {
    try (RunningServer rs = server("")) {
      for (int i = 0; i < 3; i++) assertThat(whoami(rs, BAD, "X-Forwarded-For", X)).isEqualTo(401);
      assertThat(whoami(rs, BAD, "X-Forwarded-For", Y)).as("anyone can write the header: same socket, same budget").isEqualTo(429);
      assertThat(whoami(rs, rs.key, null, null)).as("a valid key is never refused for others' failures").isEqualTo(200);
    }
  }

  @Test
  void theGrpcEdgeKeysTheBudgetByTheForwardedClientToo() throws Exception {
    try (RunningServer rs = server("127.0.0.1")) {
      ManagedChannel channel = rs.channel();
      try {
        for (int i = 0; i < 3; i++) assertThat(listen(channel, BAD, X)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(listen(channel, BAD, X)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(listen(channel, BAD, Y)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(listen(channel, rs.key, X)).as("X's valid key").isEqualTo(Status.Code.OK);
        assertThat(listen(channel, rs.key, Y)).isEqualTo(Status.Code.OK);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /** Opens a Listen forwarded for {@code client}; OK when a ping gets its pong, else the status the call ended with. */
  private static Status.Code listen(ManagedChannel channel, String key, String client) throws Exception {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    md.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), client);
    CompletableFuture<Status.Code> outcome = new CompletableFuture<>();
    StreamObserver<StreamEvent> requests = SynapServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .listen(new StreamObserver<>() {
          @Override
          public void onNext(StreamResponse r) {
            if (r.getPayloadCase() == StreamResponse.PayloadCase.HEARTBEAT_PONG) outcome.complete(Status.Code.OK);
          }

          @Override
          public void onError(Throwable t) {
            outcome.complete(Status.fromThrowable(t).getCode());
          }

          @Override
          public void onCompleted() {
            outcome.complete(Status.Code.OK);
          }
        });
    requests.onNext(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
    Status.Code code = outcome.get(10, TimeUnit.SECONDS);
    if (code == Status.Code.OK) requests.onCompleted();
    return code;
  }
}
