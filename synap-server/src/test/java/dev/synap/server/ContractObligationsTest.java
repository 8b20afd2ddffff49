package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ContextItemProto;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Section 13 of the wire contract: what the official client needs from a server, one test per row. */
class ContractObligationsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  RunningServer rs;
  ManagedChannel channel;

  @BeforeEach
  void start() {
    rs = new RunningServer(dir);
    channel = rs.channel();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    rs.close();
  }

  private String recordDogMessages(String user, String conv) throws Exception {
    for (String text : new String[] {"My dog Rex loves the beach.", "Rex turned five in March 2023.", "I feel happy when Rex runs."}) {
      HttpResponse<String> r = rs.post("/v1/conversations/messages",
          "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"content\":\"" + text + "\",\"user_id\":\"" + user + "\",\"metadata\":{}}", rs.key);
      assertThat(r.statusCode()).isEqualTo(200);
    }
    rs.awaitIngested();
    return conv;
  }

  private static StreamEvent userMessage(String text, String user, String conv) {
    ConversationEvent.Builder e = ConversationEvent.newBuilder().setEventType("user_message").setRole("user").setContent(text).setUserId(user);
    if (conv != null) e.setConversationId(conv);
    return StreamEvent.newBuilder().setConversationEvent(e).build();
  }

  @Test
  void itemsByTypeKeysAreExactlyTheOnesTheClientReadsAndScoresLieInZeroOne() throws Exception {
    String conv = recordDogMessages("erin", UUID.randomUUID().toString());
    RunningServer.Stream s = rs.new Stream(channel, rs.key);
    s.send(userMessage("how is Rex doing?", "erin", conv));
    StreamResponse r = s.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 2000);
    assertThat(r).isNotNull();
    ContextBundleProto b = r.getContextBundle();
    assertThat(b.getItemsByTypeMap()).isNotEmpty();
    assertThat(b.getItemsByTypeMap().keySet()).isSubsetOf(Set.of("facts", "preferences", "episodes", "emotions", "temporal_events"));
    for (var list : b.getItemsByTypeMap().values()) {
      for (ContextItemProto i : list.getItemsList()) {
        assertThat(i.getConfidence()).isBetween(0f, 1f);
        assertThat(i.getRelevanceScore()).isBetween(0f, 1f);
        assertThat(i.getSimilarityScore()).isBetween(0f, 1f);
        assertThat(i.getTemporalConfidence()).isBetween(0f, 1f);
        assertThat(i.getItemId()).isNotEmpty();
      }
    }
    assertThat(b.getBundleConfidence()).isBetween(0f, 1f);
    assertThat(b.getBundleId()).isNotEmpty();
    assertThat(b.getCreatedAt()).isNotEmpty();
    assertThat(b.getRetrievalMode()).isEqualTo("fast");
    assertThat(b.getOriginPatternId()).isNotEmpty();
  }

  @Test
  void anticipationIdsEqualTheIdsOfTheCausingEvent() throws Exception {
    String conv = recordDogMessages("frank", UUID.randomUUID().toString());
    RunningServer.Stream s = rs.new Stream(channel, rs.key);
    s.send(userMessage("does Rex like the beach?", "frank", conv));
    ContextBundleProto b = s.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 2000).getContextBundle();
    assertThat(b.getAnticipationUserId()).isEqualTo("frank");
    assertThat(b.getAnticipationConversationId()).isEqualTo(conv);
    assertThat(b.getAnticipationCustomerId()).isEmpty(); // the event had none
  }

  @Test
  void whoamiIdsAreFilesystemSafeAndInstanceIdHasTheOfficialShape() throws Exception {
    HttpResponse<String> r = rs.get("/api/v1/auth/whoami", rs.key);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode n = JSON.readTree(r.body());
    assertThat(n.get("instance_id").asText()).matches("inst_[0-9a-f]{16}");
    assertThat(n.get("client_id").asText()).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void badKeysAreRefusedCheaplyWithUnauthenticatedAnd401Envelope() throws Exception {
    HttpResponse<String> r = rs.get("/api/v1/auth/whoami", "sk_live_nope");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(r.body()).get("detail").asText()).isNotBlank();
    assertThat(rs.get("/api/v1/auth/whoami", null).statusCode()).isEqualTo(401);

    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      RunningServer.Stream s = rs.new Stream(channel, "sk_live_" + i);
      s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
      Throwable t = s.errors.poll(2, TimeUnit.SECONDS);
      assertThat(t).isNotNull();
      assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(s.responses).isEmpty();
    }
    assertThat((System.nanoTime() - start) / 1_000_000 / 20).as("ms per refusal").isLessThan(100);
  }

  @Test
  void everyHeartbeatPingGetsAPong() throws Exception {
    RunningServer.Stream s = rs.new Stream(channel, rs.key);
    for (int i = 1; i <= 5; i++) s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(i)).build());
    for (int i = 1; i <= 5; i++) {
      StreamResponse pong = s.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 2000);
      assertThat(pong).as("pong %d", i).isNotNull();
      assertThat(pong.getHeartbeatPong().getTimestampMs()).isEqualTo(i);
    }
  }

  @Test
  void deadStreamsAreReapedAndDuplicateStreamsGetNoDuplicatePushes() throws Exception {
    String conv = recordDogMessages("gina", UUID.randomUUID().toString());
    // A client that vanishes without closing its stream.
    ManagedChannel doomed = rs.channel();
    RunningServer.Stream dead = rs.new Stream(doomed, rs.key);
    dead.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
    assertThat(dead.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 2000)).isNotNull();
    doomed.shutdownNow();

    // Two streams of the same client (as during a reconnect): a push answers only the stream that asked.
    RunningServer.Stream first = rs.new Stream(channel, rs.key);
    RunningServer.Stream second = rs.new Stream(channel, rs.key);
    first.send(userMessage("where does Rex like to go?", "gina", conv));
    assertThat(first.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 2000)).isNotNull();
    assertThat(second.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 300)).isNull();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (rs.server.openStreams() != 2 && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(rs.server.openStreams()).as("the dead stream is gone, the two live ones remain").isEqualTo(2);
  }

  @Test
  void silentStreamsAreReapedAndPingingOnesKept() throws Exception {
    rs.server.streamIdleTimeout(java.time.Duration.ofSeconds(3));
    RunningServer.Stream silent = rs.new Stream(channel, rs.key);
    RunningServer.Stream pinging = rs.new Stream(channel, rs.key);
    silent.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
    for (int i = 0; i < 8; i++) {
      pinging.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(i)).build());
      Thread.sleep(1000);
    }
    Throwable reaped = silent.errors.poll(1, TimeUnit.SECONDS);
    assertThat(reaped).isNotNull();
    assertThat(Status.fromThrowable(reaped).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(pinging.errors).isEmpty();
    assertThat(rs.server.openStreams()).isEqualTo(1);
  }

  @Test
  void serverPermitsThirtySecondClientKeepalivesEvenWithoutCalls() throws Exception {
    // The official client pings every 30 s with keepalive_permit_without_calls. grpc-java's client
    // floor is 10 s, so three pings in ~32 s would trip the default 5-minute enforcement.
    ManagedChannel withCall = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", rs.server.grpcPort())
        .usePlaintext().keepAliveTime(10, TimeUnit.SECONDS).keepAliveWithoutCalls(true).build();
    ManagedChannel idle = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", rs.server.grpcPort())
        .usePlaintext().keepAliveTime(10, TimeUnit.SECONDS).keepAliveWithoutCalls(true).build();
    try {
      assertThat(idle.getState(true)).isNotNull();
      RunningServer.Stream s = rs.new Stream(withCall, rs.key);
      s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
      assertThat(s.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 2000)).isNotNull();
      Thread.sleep(32_000);
      assertThat(s.errors).as("stream survived keepalive pings").isEmpty();
      s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(2)).build());
      assertThat(s.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 2000)).isNotNull();
      assertThat(idle.getState(false)).isEqualTo(ConnectivityState.READY);
    } finally {
      withCall.shutdownNow();
      idle.shutdownNow();
    }
  }
}
