package dev.synap.store.postgres;

import static dev.synap.store.postgres.PostgresServerTest.JSON;
import static dev.synap.store.postgres.PostgresServerTest.config;
import static dev.synap.store.postgres.PostgresServerTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.server.SynapServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database disappears under a running server ({@code pg_ctl stop -m immediate} through {@code
 * .ci/postgres kill}) and comes back: writes get 503 with Retry-After in the error envelope, a
 * stream gets a throttle signal for the event it could not store, nothing acknowledged is lost,
 * and the node recovers by itself (no restart). Runs on the throw-away cluster of {@code
 * .ci/postgres start} only (it needs to stop and start that cluster).
 */
class PostgresOutageTest {
  @TempDir Path dir;

  private static void ci(String command) throws Exception {
    Process p = new ProcessBuilder(Path.of("..", ".ci", "postgres").toString(), command).inheritIO().start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(".ci/postgres " + command).isZero();
  }

  private static String say(String conversation, int i) {
    return "{\"conversation_id\":\"" + conversation + "\",\"role\":\"user\",\"user_id\":\"olga\",\"content\":\"Note number " + i
        + ": I planted " + i + " tulips in the garden today.\"}";
  }

  @Test
  void writesAnswer503WhileTheDatabaseIsDownAndNothingAcknowledgedIsLost() throws Exception {
    String url = TestDatabase.freshSchema();
    Assumptions.assumeTrue(System.getenv("SYNAP_CI_PG_DIR") != null && Files.isExecutable(Path.of("..", ".ci", "postgres")),
        "needs the throw-away cluster of .ci/postgres start (it stops and restarts it)");
    String conversation = UUID.randomUUID().toString();
    List<String> acknowledged = new ArrayList<>();
    boolean killed = false;
    try (SynapServer server = SynapServer.start(config(dir, url))) {
      String key = server.bootstrapKey().orElseThrow().secret();
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> r = send(server, "POST", "/v1/conversations/messages", say(conversation, i), key);
        assertThat(r.statusCode()).isBetween(200, 299);
        acknowledged.add(JSON.readTree(r.body()).get("message_id").asText());
      }
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
      try {
        BlockingQueue<StreamResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<StreamEvent> stream = PostgresServerTest.listen(channel, key, responses);
        stream.onNext(ping());
        assertThat(next(responses, StreamResponse::hasHeartbeatPong)).as("the stream is open").isNotNull();

        ci("kill");
        killed = true;
        HttpResponse<String> refused = send(server, "POST", "/v1/conversations/messages", say(conversation, 100), key);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        JsonNode envelope = JSON.readTree(refused.body());
        assertThat(envelope.get("code").asText()).isEqualTo("storage_unavailable");
        assertThat(envelope.get("detail").asText()).isNotBlank();

        // A key that is not cached cannot be checked: gRPC answers UNAVAILABLE (retryable), not UNKNOWN.
        String unknownKey = "sk_live_" + UUID.randomUUID().toString().replace("-", "") + "abcdefgh";
        BlockingQueue<Throwable> refusals = new LinkedBlockingQueue<>();
        StreamObserver<StreamEvent> refusedStream = PostgresServerTest.listen(channel, unknownKey, new LinkedBlockingQueue<>(), refusals);
        refusedStream.onNext(ping());
        Throwable refusal = refusals.poll(30, TimeUnit.SECONDS);
        assertThat(refusal).isNotNull();
        assertThat(io.grpc.Status.fromThrowable(refusal).getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);

        stream.onNext(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
            .setUserId("olga").setContent("an event while the database is down").setConversationId(conversation)
            .putMetadata("event_id", "down-1")).build());
        stream.onNext(ping());
        StreamResponse throttle = next(responses, r -> r.hasSignal() && r.getSignal().getSignalType().equals("throttle"));
        assertThat(throttle).as("the event that was not stored is named in a throttle signal").isNotNull();
        assertThat(throttle.toString()).contains("down-1");

        ci("revive");
        killed = false;
        // The node recovers by itself: the pool reconnects, the client's retry is accepted.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> retried;
        do {
          retried = send(server, "POST", "/v1/conversations/messages", say(conversation, 100), key);
          if (retried.statusCode() == 503) Thread.sleep(200);
        } while (retried.statusCode() == 503 && System.nanoTime() < deadline);
        assertThat(retried.statusCode()).as(retried.body()).isBetween(200, 299);
        acknowledged.add(JSON.readTree(retried.body()).get("message_id").asText());
        stream.onCompleted();
      } finally {
        channel.shutdownNow();
      }

      // Every acknowledged message is stored and extracted (workers backed off and resumed).
      assertThat(server.engine().awaitIdle(Duration.ofSeconds(90))).as("extraction resumed and finished").isTrue();
      for (String id : acknowledged) {
        JsonNode status = JSON.readTree(send(server, "GET", "/v1/conversations/messages/" + id + "/status", null, key).body());
        assertThat(status.get("status").asText()).as(id).isEqualTo("completed");
      }
    } finally {
      if (killed) ci("revive");
    }
  }

  private static StreamEvent ping() {
    return StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(System.currentTimeMillis())).build();
  }

  private static StreamResponse next(BlockingQueue<StreamResponse> responses, java.util.function.Predicate<StreamResponse> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      StreamResponse r = responses.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && wanted.test(r)) return r;
    }
    return null;
  }
}
