package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.synap.core.ConflictException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.NotFoundException;
import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionRequest;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.compact.Strategy;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.tenant.RelationshipMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compaction engine without the HTTP edge: summarizers, strategies, auto-trigger, conflicts. */
class CompactionEngineTest {
  @TempDir Path dir;
  MemoryEngine engine;
  HttpServer fake;
  String instanceId;

  private void open(CompactionSettings settings) {
    engine = MemoryEngine.open(new MemoryEngine.Config(dir, 1, 100_000), settings);
    instanceId = engine.tenancy().createInstance("test", RelationshipMode.B2C).instanceId();
  }

  @AfterEach
  void close() {
    if (engine != null) engine.close();
    if (fake != null) fake.stop(0);
  }

  private String recordDialogue() throws InterruptedException {
    String conv = UUID.randomUUID().toString();
    Instant at = Instant.parse("2024-06-01T10:00:00Z");
    for (TripDialogue.Turn t : TripDialogue.TURNS) {
      engine.ingest().record(new RecordRequest(instanceId, conv, "alice", null, null, t.role(), "message", t.content(), Map.of(), at, null));
      at = at.plusSeconds(60);
    }
    awaitIngested();
    return conv;
  }

  private void awaitIngested() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (engine.ingest().queueDepth() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
  }

  private Compaction compactNow(String conv, Strategy s, Integer target) {
    return engine.compactions().compactNow(new CompactionRequest(instanceId, conv, s, target, true, CompactionRequest.MANUAL));
  }

  @Test
  void strategiesKeepLessAndLessWithinTheirTargets() throws Exception {
    open(CompactionSettings.defaults().withoutAuto());
    String conv = recordDialogue();
    Compaction conservative = compactNow(conv, Strategy.CONSERVATIVE, null);
    Compaction balanced = compactNow(conv, Strategy.BALANCED, null);
    Compaction aggressive = compactNow(conv, Strategy.AGGRESSIVE, null);
    assertThat(conservative.error()).isNull();
    for (Compaction c : new Compaction[] {conservative, balanced, aggressive}) {
      assertThat(c.isCompleted()).as(c.toString()).isTrue();
      assertThat(c.result().compactedTokens()).isLessThanOrEqualTo((int) Math.round(c.result().originalTokens() * c.result().strategyUsed().keepRatio()));
      assertThat(c.result().summarizer()).isEqualTo("extractive");
    }
    assertThat(conservative.result().compressionRatio()).isGreaterThan(balanced.result().compressionRatio());
    assertThat(balanced.result().compressionRatio()).isGreaterThan(aggressive.result().compressionRatio());
    assertThat(conservative.result().validationScore()).isGreaterThanOrEqualTo(balanced.result().validationScore());
    assertThat(conservative.version()).isEqualTo(1);
    assertThat(aggressive.version()).isEqualTo(3);
    String summary = conservative.result().summary();
    assertThat(summary).contains("2024-06-01:").contains("Lisbon");
    assertThat(conservative.result().keyExtractions().preferences()).anySatisfy(p -> assertThat(p.get("content").toString()).contains("window seats"));
    assertThat(conservative.result().keyExtractions().constraints()).anySatisfy(p -> assertThat(p.get("content").toString()).contains("2500 euros"));
    assertThat(conservative.result().currentState()).containsKeys("status", "open_questions", "next_steps", "participants");
  }

  @Test
  void nearDuplicateSentencesAreKeptOnceEvenWithRoomToSpare() throws Exception {
    open(CompactionSettings.defaults().withoutAuto());
    String conv = recordDialogue();
    String summary = compactNow(conv, Strategy.CONSERVATIVE, 100_000).result().summary();
    assertThat(summary.split("flight 1234 from Berlin", -1).length - 1).as(summary).isEqualTo(1);
    assertThat(summary).doesNotContain("Ok thanks").contains("Gulbenkian museum");
  }

  @Test
  void adaptiveChoosesConservativeForAShortDenseConversation() throws Exception {
    open(CompactionSettings.defaults().withoutAuto());
    String conv = recordDialogue();
    Compaction c = compactNow(conv, Strategy.ADAPTIVE, null);
    assertThat(c.result().strategyUsed()).isEqualTo(Strategy.CONSERVATIVE);
  }

  @Test
  void anEmptyConversationHasNothingToCompact() {
    open(CompactionSettings.defaults().withoutAuto());
    assertThatThrownBy(() -> compactNow(UUID.randomUUID().toString(), Strategy.BALANCED, null)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void passingTheTurnThresholdCompactsByItself() throws Exception {
    open(CompactionSettings.defaults().withAuto(10, 1_000_000, Duration.ofMillis(100)));
    String conv = recordDialogue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Optional<Compaction> c = Optional.empty();
    while (c.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      c = engine.compactions().latestCompleted(instanceId, conv);
    }
    assertThat(c).isPresent();
    assertThat(c.get().trigger()).isEqualTo(CompactionRequest.AUTO);
    assertThat(c.get().strategyRequested()).isEqualTo(Strategy.ADAPTIVE);
    // a burst of turns is debounced into one compaction, and a covered conversation is left alone
    Thread.sleep(400);
    assertThat(engine.compactions().latestCompleted(instanceId, conv).orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void belowTheThresholdNothingHappens() throws Exception {
    open(CompactionSettings.defaults().withAuto(1_000, 1_000_000, Duration.ofMillis(50)));
    String conv = recordDialogue();
    Thread.sleep(300);
    assertThat(engine.compactions().latest(instanceId, conv)).isEmpty();
  }

  @Test
  void theLlmSummarizerIsUsedThroughAnOpenAiCompatibleEndpoint() throws Exception {
    AtomicReference<String> request = new AtomicReference<>();
    AtomicReference<String> auth = new AtomicReference<>();
    String reply = "Alice lives in Lisbon; birthday 14 June 2024. They fly TAP flight 1234 from Berlin, budget under 2500 euros, "
        + "hotel Solar do Castelo 13-15 June (confirmation 88231).";
    fake = fakeLlm(200, "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":" + quote(reply) + "}}]}", request, auth, null);
    open(CompactionSettings.defaults().withoutAuto().withLlm(llm(Duration.ofSeconds(5))));
    String conv = recordDialogue();
    Compaction c = compactNow(conv, Strategy.BALANCED, null);
    assertThat(c.result().summarizer()).isEqualTo("llm:fake-model");
    assertThat(c.result().summary()).isEqualTo(reply);
    assertThat(request.get()).contains("\"model\":\"fake-model\"").contains("Lisbon").contains("\"role\":\"system\"");
    assertThat(auth.get()).isEqualTo("Bearer sk-test");
    assertThat(c.result().keyExtractions().facts()).isNotEmpty();
  }

  @Test
  void theLlmSummarizerFallsBackToExtractiveOnErrorsAndTimeouts() throws Exception {
    fake = fakeLlm(500, "{\"error\":\"overloaded\"}", new AtomicReference<>(), new AtomicReference<>(), null);
    open(CompactionSettings.defaults().withoutAuto().withLlm(llm(Duration.ofSeconds(5))));
    String conv = recordDialogue();
    assertThat(compactNow(conv, Strategy.BALANCED, null).result().summarizer()).isEqualTo("extractive (llm fallback)");
    fake.stop(0);

    CountDownLatch never = new CountDownLatch(1);
    fake = fakeLlm(200, "{}", new AtomicReference<>(), new AtomicReference<>(), never);
    engine.close();
    engine = MemoryEngine.open(new MemoryEngine.Config(dir, 1, 100_000), CompactionSettings.defaults().withoutAuto().withLlm(llm(Duration.ofMillis(300))));
    long start = System.nanoTime();
    Compaction c = compactNow(conv, Strategy.BALANCED, null);
    never.countDown();
    assertThat(c.result().summarizer()).isEqualTo("extractive (llm fallback)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aSecondCompactWhileOneRunsIsRefused() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    fake = fakeLlm(200, "{\"choices\":[{\"message\":{\"content\":\"Alice lives in Lisbon.\"}}]}", new AtomicReference<>(), new AtomicReference<>(), release);
    open(CompactionSettings.defaults().withoutAuto().withLlm(llm(Duration.ofSeconds(20))));
    String conv = recordDialogue();
    var started = engine.compactions().compact(new CompactionRequest(instanceId, conv, Strategy.BALANCED, null, false, CompactionRequest.MANUAL));
    assertThat(started.job().isRunning()).isTrue();
    assertThatThrownBy(() -> engine.compactions().compact(new CompactionRequest(instanceId, conv, Strategy.BALANCED, null, true, CompactionRequest.MANUAL)))
        .isInstanceOf(ConflictException.class).extracting(e -> ((ConflictException) e).code()).isEqualTo("compaction_in_progress");
    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (engine.compactions().latestCompleted(instanceId, conv).isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(engine.compactions().latestCompleted(instanceId, conv).orElseThrow().compactionId()).isEqualTo(started.job().compactionId());
  }

  @Test
  void aJobLeftRunningByACrashIsFailedOnTheNextStart() throws Exception {
    open(CompactionSettings.defaults().withoutAuto());
    String conv = recordDialogue();
    engine.store().compactions().start(new Compaction("cmp_crashed", instanceId, conv, "alice", "manual_api", Strategy.BALANCED, null, Instant.now(),
        Compaction.IN_PROGRESS, null, null, null, null));
    engine.close();
    engine = MemoryEngine.open(new MemoryEngine.Config(dir, 1, 100_000), CompactionSettings.defaults().withoutAuto());
    Compaction crashed = engine.compactions().latest(instanceId, conv).orElseThrow();
    assertThat(crashed.status()).isEqualTo(Compaction.FAILED);
    assertThat(crashed.error()).contains("restart");
    assertThat(compactNow(conv, Strategy.BALANCED, null).isCompleted()).isTrue();
  }

  @Test
  void deletingTheUserDeletesTheirCompactions() throws Exception {
    open(CompactionSettings.defaults().withoutAuto());
    String conv = recordDialogue();
    compactNow(conv, Strategy.BALANCED, null);
    engine.deleteUser(instanceId, null, "alice");
    assertThat(engine.compactions().latest(instanceId, conv)).isEmpty();
  }

  private CompactionSettings.LlmSettings llm(Duration timeout) {
    return new CompactionSettings.LlmSettings("http://127.0.0.1:" + fake.getAddress().getPort() + "/v1", "sk-test", "fake-model", timeout);
  }

  private static HttpServer fakeLlm(int status, String body, AtomicReference<String> request, AtomicReference<String> auth, CountDownLatch hold)
      throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/v1/chat/completions", ex -> {
      request.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      auth.set(ex.getRequestHeaders().getFirst("Authorization"));
      if (hold != null) {
        try {
          hold.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] out = body.getBytes(StandardCharsets.UTF_8);
      try {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
      } catch (IOException ignored) {
        // the client gave up (timeout test)
      }
      ex.close();
    });
    s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    s.start();
    return s;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
