package dev.synap.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.store.Stores;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server on loopback whose system of record is PostgreSQL: REST and gRPC, record -> extract -> fetch. */
class PostgresServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  static ServerConfig config(Path dir, String url) {
    return ServerConfig.forTests(dir).withStore(TestDatabase.settings(url, dir));
  }

  static HttpResponse<String> send(SynapServer s, String method, String path, String json, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }

  @Test
  void recordExtractAndFetchOverRestAndGrpcWithTheStoreInPostgres() throws Exception {
    String url = TestDatabase.freshSchema();
    String key;
    String conversation = UUID.randomUUID().toString();
    try (SynapServer server = SynapServer.start(config(dir, url))) {
      key = server.bootstrapKey().orElseThrow().secret();
      String message = ok(send(server, "POST", "/v1/conversations/messages", "{\"conversation_id\":\"" + conversation
          + "\",\"role\":\"user\",\"user_id\":\"alice\",\"content\":\"My dog is called Rex and he loves the beach.\"}", key))
          .get("message_id").asText();
      assertThat(server.engine().awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(ok(send(server, "GET", "/v1/conversations/messages/" + message + "/status", null, key)).get("status").asText())
          .isEqualTo("completed");
      JsonNode fetched = ok(send(server, "POST", "/v1/context/user/fetch", "{\"user_id\":\"alice\",\"search_query\":[\"what is my dog called\"]}", key));
      assertThat(fetched.toString()).contains("Rex");

      // The stream: an event is stored before its pong.
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
      try {
        BlockingQueue<StreamResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<StreamEvent> requests = listen(channel, key, responses);
        long before = Stores.countMessages(TestDatabase.settings(url, dir));
        requests.onNext(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
            .setUserId("alice").setContent("I work as a nurse at the city hospital").setConversationId(conversation).putMetadata("event_id", "e1")).build());
        requests.onNext(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
        StreamResponse r;
        do {
          r = responses.poll(10, TimeUnit.SECONDS);
          assertThat(r).as("a pong").isNotNull();
          assertThat(r.hasSignal() && r.getSignal().getSignalType().equals("throttle")).as("no event refused").isFalse();
        } while (!r.hasHeartbeatPong());
        assertThat(Stores.countMessages(TestDatabase.settings(url, dir))).isEqualTo(before + 1);
        requests.onCompleted();
      } finally {
        channel.shutdownNow();
      }
    }

    // Another node (its own data folder, so its own search index) on the same database: same key, same memories.
    try (SynapServer other = SynapServer.start(config(dir.resolve("node-b"), url))) {
      assertThat(other.bootstrapKey()).as("the instance exists already").isEmpty();
      assertThat(other.engine().awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(ok(send(other, "POST", "/v1/context/user/fetch", "{\"user_id\":\"alice\",\"search_query\":[\"what is my dog called\"]}", key))
          .toString()).contains("Rex");
      assertThat(ok(send(other, "POST", "/v1/context/user/fetch", "{\"user_id\":\"alice\",\"search_query\":[\"where do I work\"]}", key))
          .toString()).contains("nurse");
    }
  }

  static StreamObserver<StreamEvent> listen(ManagedChannel channel, String key, BlockingQueue<StreamResponse> responses) {
    return listen(channel, key, responses, new LinkedBlockingQueue<>());
  }

  static StreamObserver<StreamEvent> listen(ManagedChannel channel, String key, BlockingQueue<StreamResponse> responses,
      BlockingQueue<Throwable> errors) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return SynapServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)).listen(new StreamObserver<>() {
      @Override
      public void onNext(StreamResponse r) {
        responses.add(r);
      }

      @Override
      public void onError(Throwable t) {
        errors.add(t);
      }

      @Override
      public void onCompleted() {}
    });
  }
}
