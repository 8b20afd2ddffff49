package dev.synap.core.extract.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.synap.core.extract.ExtractedMemory;
import dev.synap.core.extract.RuleExtractor;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the LLM extractor against a fake chat-completions server on loopback. */
class LlmExtractorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOOD = """
      {"memories": [{"type": "preference", "content": "Caroline loves hiking in the Alps.", "confidence": 0.9,
        "category": "activity", "event_date": null, "temporal_category": "perpetual",
        "attributes": {"preference_direction": "like", "strength": 0.9},
        "entities": [{"name": "Alps", "type": "place"}]}]}""";

  private interface Reply {
    void handle(HttpExchange exchange, int call) throws IOException, InterruptedException;
  }

  private HttpServer server;
  private volatile Reply reply;
  private final AtomicInteger calls = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
  private final RuleExtractor offline = new RuleExtractor();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      try {
        reply.handle(exchange, calls.incrementAndGet());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client gave up (timeout): nothing to answer
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private LlmExtractor extractor(Duration timeout) {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new LlmExtractor(new LlmSettings(base, "test-key", "test-model", timeout, 2), offline);
  }

  private static Message message() {
    return new Message("m-1", "inst", "conv", "u", null, null, "user", "message", "I love hiking in the Alps.",
        Map.of("speaker", "Caroline"), Instant.parse("2023-05-08T10:00:00Z"), Instant.parse("2023-05-08T10:00:00Z"));
  }

  private static void answer(HttpExchange ex, int status, String assistantContent) throws IOException {
    String body = status == 200
        ? JSON.writeValueAsString(Map.of("choices", List.of(Map.of("message", Map.of("role", "assistant", "content", assistantContent)))))
        : "{\"error\": \"boom\"}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Test
  void schemaConformingAnswerBecomesMemories() throws Exception {
    reply = (ex, n) -> answer(ex, 200, GOOD);
    LlmExtractor llm = extractor(Duration.ofSeconds(5));
    List<ExtractedMemory> out = llm.extract(message());

    assertThat(llm.fallbacks()).isZero();
    assertThat(out).singleElement().satisfies(m -> {
      assertThat(m.type()).isEqualTo(MemoryType.PREFERENCE);
      assertThat(m.content()).isEqualTo("Caroline loves hiking in the Alps.");
      assertThat(m.attributes()).containsEntry("preference_direction", "like").containsEntry("subject", "Caroline");
    });
    var sent = JSON.readTree(requests.peek());
    assertThat(sent.path("model").asText()).isEqualTo("test-model");
    assertThat(sent.path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();
    assertThat(sent.path("messages").path(1).path("content").asText()).contains("2023-05-08T10:00:00Z", "Caroline");
  }

  @Test
  void malformedJsonFallsBackToTheOfflineExtractor() {
    reply = (ex, n) -> answer(ex, 200, "{\"memories\": [ oops");
    LlmExtractor llm = extractor(Duration.ofSeconds(5));
    assertThat(llm.extract(message())).isEqualTo(offline.extract(message()));
    assertThat(llm.fallbacks()).isEqualTo(1);
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void wrongSchemaFallsBack() {
    reply = (ex, n) -> answer(ex, 200, GOOD.replace("\"preference\"", "\"opinion\""));
    LlmExtractor llm = extractor(Duration.ofSeconds(5));
    assertThat(llm.extract(message())).isEqualTo(offline.extract(message()));
    assertThat(llm.fallbacks()).isEqualTo(1);

    reply = (ex, n) -> answer(ex, 200, GOOD.replace("0.9,\n", "1.7,\n"));
    assertThat(llm.extract(message())).isEqualTo(offline.extract(message()));
    reply = (ex, n) -> answer(ex, 200, "{\"items\": []}");
    assertThat(llm.extract(message())).isEqualTo(offline.extract(message()));
    assertThat(llm.fallbacks()).isEqualTo(3);
  }

  @Test
  void slowAnswerTimesOutAndFallsBackPromptly() {
    reply = (ex, n) -> {
      Thread.sleep(3_000);
      answer(ex, 200, GOOD);
    };
    LlmExtractor llm = extractor(Duration.ofMillis(300));
    long start = System.nanoTime();
    assertThat(llm.extract(message())).isEqualTo(offline.extract(message()));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_000));
    assertThat(llm.fallbacks()).isEqualTo(1);
  }

  @Test
  void theOfflineSourceEvidenceIsKeptBesideTheModelsMemories() {
    reply = (ex, n) -> answer(ex, 200, GOOD);
    Message turn = new Message("m-2", "inst", "conv", "u", null, null, "user", "message",
        "I love hiking in the Alps. Your brother's new bakery downtown sells the best cinnamon rolls in the whole city.",
        Map.of("speaker", "Caroline"), Instant.parse("2023-05-08T10:00:00Z"), Instant.parse("2023-05-08T10:00:00Z"));
    List<ExtractedMemory> out = extractor(Duration.ofSeconds(5)).extract(turn);
    assertThat(out).extracting(ExtractedMemory::content).containsExactly("Caroline loves hiking in the Alps.",
        "Your brother's new bakery downtown sells the best cinnamon rolls in the whole city.");
    assertThat(dev.synap.core.model.Evidence.is(out.get(1).attributes())).isTrue();
  }

  @Test
  void serverErrorsAreRetriedThenSucceed() {
    reply = (ex, n) -> {
      if (n <= 2) answer(ex, 500, null);
      else answer(ex, 200, GOOD);
    };
    LlmExtractor llm = extractor(Duration.ofSeconds(5));
    assertThat(llm.extract(message())).singleElement().extracting(ExtractedMemory::content).isEqualTo("Caroline loves hiking in the Alps.");
    assertThat(calls.get()).isEqualTo(3);
    assertThat(llm.fallbacks()).isZero();
  }

  @Test
  void persistentServerErrorsFallBackAfterTheRetries() {
    reply = (ex, n) -> answer(ex, 503, null);
    LlmExtractor llm = extractor(Duration.ofSeconds(5));
    assertThat(llm.extract(message())).isEqualTo(offline.extract(message()));
    assertThat(calls.get()).isEqualTo(3);
    assertThat(llm.fallbacks()).isEqualTo(1);
  }

  @Test
  void settingsComeFromTheEnvironment() {
    assertThat(LlmSettings.fromEnvironment(Map.of())).isEmpty();
    LlmSettings s = LlmSettings.fromEnvironment(Map.of("SYNAP_LLM_BASE_URL", "http://127.0.0.1:9/v1", "SYNAP_LLM_MODEL", "m")).orElseThrow();
    assertThat(s.endpoint()).hasToString("http://127.0.0.1:9/v1/chat/completions");
    assertThat(s.model()).isEqualTo("m");
  }
}
