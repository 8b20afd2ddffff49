package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import dev.synap.proto.v1.ContextUsedEvent;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.SessionControl;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import dev.synap.proto.v1.TelemetryAck;
import dev.synap.proto.v1.TelemetryEvent;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Malformed Listen events get an {@code invalid_event} signal on a stream that stays open (a
 * ping still gets its pong), malformed telemetry uploads end with INVALID_ARGUMENT, and neither
 * changes stored data; afterwards a valid event is still recorded.
 */
class MalformedStreamPropertiesTest {
  static final String USER = "stream-user";
  static final String CONVERSATION = UUID.randomUUID().toString();
  static Path dir;
  static RunningServer rs;
  static ManagedChannel channel;
  static RunningServer.Stream stream;
  static String baseline;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("synap-stream-props");
    rs = new RunningServer(dir);
    channel = rs.channel();
    ObjectNode m = BadJson.F.objectNode().put("conversation_id", CONVERSATION).put("role", "user").put("content", "My cat Miso sleeps all day.")
        .put("user_id", USER);
    assertThat(rs.post("/v1/conversations/messages", BadJson.write(m), rs.key).statusCode()).isEqualTo(200);
    rs.awaitIngested();
    stream = rs.new Stream(channel, rs.key);
    baseline = StoreChecksum.of(dir);
  }

  @AfterContainer
  static void stop() throws IOException {
    channel.shutdownNow();
    rs.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterProperty
  void validEventStillRecorded() throws Exception {
    String now = StoreChecksum.of(dir);
    String before = baseline;
    baseline = now;
    assertThat(now).as("stored data after the property").isEqualTo(before);
    assertThat(rs.get("/health", null).statusCode()).isEqualTo(200);
    long messages = SqliteSystemOfRecord.countMessages(dir);
    RunningServer.Stream fresh = rs.new Stream(channel, rs.key);
    fresh.send(StreamEvent.newBuilder().setConversationEvent(valid().setContent("Miso caught a mouse " + UUID.randomUUID())).build());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (SqliteSystemOfRecord.countMessages(dir) == messages && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(SqliteSystemOfRecord.countMessages(dir)).isEqualTo(messages + 1);
    fresh.requests.onCompleted();
    HttpResponse<String> fetched = rs.post("/v1/context/user/fetch", "{\"user_id\":\"" + USER + "\",\"search_query\":[\"Miso\"]}", rs.key);
    assertThat(fetched.statusCode()).isEqualTo(200);
    rs.awaitIngested();
    baseline = StoreChecksum.of(dir);
  }

  @Property(tries = 200)
  void malformedListenEventsAreSignalledAndTheStreamStaysOpen(@ForAll("badEvents") Named<StreamEvent> bad) throws Exception {
    stream.responses.clear();
    stream.send(bad.value());
    StreamResponse signal = stream.next(StreamResponse.PayloadCase.SIGNAL, 3000);
    assertThat(signal).as("a signal for " + bad).isNotNull();
    assertThat(signal.getSignal().getSignalType()).isEqualTo("invalid_event");
    assertThat(signal.getSignal().getReason()).isNotBlank().doesNotContain("Exception", "\tat ");
    // One ping per try, paced under the per-stream ping budget (50/s): beyond it pings go unanswered by design.
    Thread.sleep(1000 / 40);
    stream.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(42)).build());
    assertThat(stream.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 3000)).as("stream still answers pings").isNotNull();
    assertThat(stream.errors).isEmpty();
    assertThat(StoreChecksum.of(dir)).as("stored data after " + bad).isEqualTo(baseline);
  }

  @Property(tries = 100)
  void malformedTelemetryUploadsEndWithInvalidArgument(@ForAll("badTelemetry") Named<List<TelemetryEvent>> bad) throws Exception {
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    StreamObserver<TelemetryEvent> upload = SynapServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth()))
        .ingestTelemetry(new StreamObserver<>() {
          @Override
          public void onNext(TelemetryAck ack) {
            outcome.complete(ack);
          }

          @Override
          public void onError(Throwable t) {
            outcome.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {}
        });
    for (TelemetryEvent e : bad.value()) upload.onNext(e);
    upload.onCompleted();
    Object result = outcome.get(10, TimeUnit.SECONDS);
    assertThat(result).as(bad.toString()).isInstanceOf(Status.class);
    assertThat(((Status) result).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Example
  void validTelemetryIsAcknowledged() throws Exception {
    CompletableFuture<TelemetryAck> ack = new CompletableFuture<>();
    StreamObserver<TelemetryEvent> upload = SynapServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth()))
        .ingestTelemetry(new StreamObserver<>() {
          @Override
          public void onNext(TelemetryAck a) {
            ack.complete(a);
          }

          @Override
          public void onError(Throwable t) {
            ack.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    for (int i = 0; i < 3; i++) upload.onNext(telemetry().build());
    upload.onCompleted();
    assertThat(ack.get(10, TimeUnit.SECONDS).getEventsReceived()).isEqualTo(3);
    assertThat(ack.get().getStatus()).isEqualTo("accepted");
  }

  @Example
  void anEventOverTheMessageSizeLimitEndsOnlyThatStreamWithResourceExhausted() throws Exception {
    RunningServer.Stream big = rs.new Stream(channel, rs.key);
    big.send(StreamEvent.newBuilder().setConversationEvent(valid().setContent("a".repeat(5 * 1024 * 1024))).build());
    Throwable error = big.errors.poll(10, TimeUnit.SECONDS);
    assertThat(error).isNotNull();
    assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    stream.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(7)).build());
    assertThat(stream.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 3000)).isNotNull();
  }

  /** A generated value with a description for jqwik's report (protobuf toString of 1 MB is unreadable). */
  record Named<T>(T value, String what) {
    @Override
    public String toString() {
      return what;
    }
  }

  static Metadata auth() {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + rs.key);
    return md;
  }

  static ConversationEvent.Builder valid() {
    return ConversationEvent.newBuilder().setEventType("user_message").setRole("user").setContent("Where does Miso sleep?")
        .setConversationId(CONVERSATION).setUserId(USER).putMetadata("event_id", UUID.randomUUID().toString());
  }

  private static Arbitrary<Named<StreamEvent>> broken(String what, Arbitrary<UnaryOperator<ConversationEvent.Builder>> change) {
    return change.map(c -> new Named<>(StreamEvent.newBuilder().setConversationEvent(c.apply(valid())).build(), what));
  }

  private static <T> Arbitrary<UnaryOperator<ConversationEvent.Builder>> setting(Arbitrary<T> values, java.util.function.BiConsumer<ConversationEvent.Builder, T> set) {
    return values.map(v -> b -> {
      set.accept(b, v);
      return b;
    });
  }

  @Provide
  Arbitrary<Named<StreamEvent>> badEvents() {
    Arbitrary<String> notUuid = Arbitraries.oneOf(BadJson.letters(1, 40), Arbitraries.create(() -> UUID.randomUUID().toString().replace("-", "")),
        Arbitraries.create(() -> UUID.randomUUID() + "0"));
    return Arbitraries.oneOf(
        Arbitraries.just(new Named<>(StreamEvent.getDefaultInstance(), "no payload")),
        broken("conversation_id", setting(notUuid, ConversationEvent.Builder::setConversationId)),
        broken("user_id", setting(BadJson.badIdText(), ConversationEvent.Builder::setUserId)),
        broken("customer_id", setting(BadJson.badIdText(), ConversationEvent.Builder::setCustomerId)),
        broken("event_type", setting(BadJson.letters(1, 20).map(s -> "x" + s), ConversationEvent.Builder::setEventType)),
        broken("role", setting(BadJson.letters(1, 10).map(s -> "x" + s), ConversationEvent.Builder::setRole)),
        broken("empty content", setting(Arbitraries.of("", " ", "\n"), ConversationEvent.Builder::setContent)),
        broken("oversized content", setting(Arbitraries.integers().between(32_769, 400_000).map("a"::repeat), ConversationEvent.Builder::setContent)),
        broken("too many metadata entries", setting(Arbitraries.integers().between(65, 500), (b, n) -> {
          for (int i = 0; i < n; i++) b.putMetadata("k" + i, "v");
        })),
        broken("metadata key too long", setting(BadJson.letters(129, 300), (b, k) -> b.putMetadata(k, "v"))),
        broken("metadata value too long", setting(Arbitraries.integers().between(4097, 100_000).map("v"::repeat), (b, v) -> b.putMetadata("k", v))),
        broken("timestamp", setting(Arbitraries.oneOf(Arbitraries.longs().lessOrEqual(-1), Arbitraries.longs().greaterOrEqual(253_402_300_800_000L)),
            ConversationEvent.Builder::setTimestampMs)),
        broken("session_id", setting(BadJson.letters(257, 400), ConversationEvent.Builder::setSessionId)),
        broken("tool_name", setting(BadJson.letters(257, 400), ConversationEvent.Builder::setToolName)),
        broken("tool_args_json", setting(Arbitraries.integers().between(32_769, 100_000).map("x"::repeat), ConversationEvent.Builder::setToolArgsJson)),
        broken("too many search queries", setting(Arbitraries.integers().between(17, 100), (b, n) -> {
          for (int i = 0; i < n; i++) b.addSearchQueries("q" + i);
        })),
        broken("search query too long", setting(BadJson.letters(4097, 5000), ConversationEvent.Builder::addSearchQueries)),
        broken("context type", setting(BadJson.letters(1, 10).map(s -> "x" + s), ConversationEvent.Builder::addContextTypes)),
        BadJson.letters(0, 10).map(a -> new Named<>(StreamEvent.newBuilder().setSessionControl(SessionControl.newBuilder().setAction("x" + a)).build(),
            "session_control action")),
        Arbitraries.integers().between(3_000, 10_000).map(n -> {
          ContextUsedEvent.Builder u = ContextUsedEvent.newBuilder().setBundleId("b");
          for (int i = 0; i < n; i++) u.addServedItemIds(UUID.randomUUID().toString());
          return new Named<>(StreamEvent.newBuilder().setContextUsed(u).build(), "context_used with " + n + " ids");
        }));
  }

  static TelemetryEvent.Builder telemetry() {
    return TelemetryEvent.newBuilder().setEventType("cache_hit").setStatus("success").setLatencyMs(3).setScope("user").setCacheStatus("hit");
  }

  @Provide
  Arbitrary<Named<List<TelemetryEvent>>> badTelemetry() {
    Arbitrary<Named<TelemetryEvent>> badEvent = Arbitraries.oneOf(
        Arbitraries.of("", "Cache Hit", "a/b", "x".repeat(65)).map(t -> new Named<>(telemetry().setEventType(t).build(), "event_type " + t)),
        Arbitraries.integers().lessOrEqual(-1).map(l -> new Named<>(telemetry().setLatencyMs(l).build(), "latency " + l)),
        Arbitraries.integers().lessOrEqual(-1).map(a -> new Named<>(telemetry().setAttempt(a).build(), "attempt " + a)),
        Arbitraries.oneOf(Arbitraries.integers().greaterOrEqual(1000), Arbitraries.integers().lessOrEqual(-1))
            .map(s -> new Named<>(telemetry().setHttpStatusCode(s).build(), "http status " + s)),
        BadJson.letters(257, 400).map(s -> new Named<>(telemetry().setCorrelationId(s).build(), "long correlation id")),
        BadJson.letters(2049, 3000).map(s -> new Named<>(telemetry().setHttpPath(s).build(), "long http path")),
        Arbitraries.integers().between(65, 200).map(n -> {
          TelemetryEvent.Builder t = telemetry();
          for (int i = 0; i < n; i++) t.putMetadata("k" + i, "v");
          return new Named<>(t.build(), n + " metadata entries");
        }));
    Arbitrary<Named<List<TelemetryEvent>>> oneBad = Arbitraries.integers().between(0, 5).flatMap(good -> badEvent.map(b -> {
      List<TelemetryEvent> events = new java.util.ArrayList<>();
      for (int i = 0; i < good; i++) events.add(telemetry().build());
      events.add(b.value());
      return new Named<>(events, good + " good then " + b.what());
    }));
    Arbitrary<Named<List<TelemetryEvent>>> tooMany = Arbitraries.integers().between(1001, 1200)
        .map(n -> new Named<>(java.util.Collections.nCopies(n, telemetry().build()), n + " events"));
    return Arbitraries.oneOf(oneBad, tooMany);
  }
}
