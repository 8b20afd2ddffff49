package dev.synap.core.retrieve.question;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.synap.core.MemoryEngine;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.extract.llm.LlmSettings;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.HybridRetriever;
import dev.synap.core.retrieve.graph.GraphWalk;
import dev.synap.core.retrieve.LexicalRetriever;
import dev.synap.core.retrieve.Retriever;
import dev.synap.core.tenant.RelationshipMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LLM question rewrite against a fake chat-completions server on loopback, in a real engine.
 * Extraction requests to the same fake get a 400, so the offline extractor makes the memories.
 */
class LlmQuestionRewriteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMillis(400);

  private interface Reply {
    void handle(HttpExchange exchange) throws IOException, InterruptedException;
  }

  @TempDir Path dir;
  HttpServer server;
  volatile Reply rewrite;
  final AtomicInteger rewriteCalls = new AtomicInteger();
  MemoryEngine engine;
  String instance;
  Retriever offline;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (body.contains("question_plan")) {
          rewriteCalls.incrementAndGet();
          rewrite.handle(exchange);
        } else {
          answer(exchange, 400, "not an extractor");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client gave up (timeout)
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    LlmSettings llm = new LlmSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "k", "m", Duration.ofSeconds(5), 0);
    MemoryEngine.RetrievalConfig retrieval = MemoryEngine.RetrievalConfig.defaults();
    retrieval = retrieval.withQuestions(new QuestionSettings(true, true, TIMEOUT));
    engine = MemoryEngine.open(new MemoryEngine.Config(dir, 2, 100_000, llm), retrieval, CompactionSettings.defaults());
    instance = engine.tenancy().createInstance("test", RelationshipMode.B2C).instanceId();
    // The same index and store, planned by the rules alone: what a failed rewrite must equal.
    offline = new HybridRetriever(engine.index(), engine.store().memories(), new LexicalRetriever(engine.store().memories()),
        retrieval.ranking(), Clock.systemUTC(), new QuestionPlans(true, null),
        new GraphWalk(retrieval.graph(), engine.store().relations(), engine.entities()::entities));
  }

  @AfterEach
  void stop() {
    engine.close();
    server.stop(0);
  }

  @Test
  void accurateModeUsesTheRewriteAndAsksOncePerQuestion() throws Exception {
    rememberDistractorsAndTheVault();
    rewrite = ex -> answer(ex, 200, "{\"queries\": [\"vault combination code\"], \"shape\": \"answer\"}");
    String question = "What was the thing we talked about?";
    assertThat(contents(fetch(offline, question, "accurate"))).noneMatch(c -> c.contains("vault"));
    assertThat(contents(fetch(engine.retriever(), question, "accurate"))).anyMatch(c -> c.contains("vault"));
    fetch(engine.retriever(), question, "accurate");
    assertThat(rewriteCalls).hasValue(1); // cached per question
    fetch(engine.retriever(), "What else did we talk about?", "fast");
    assertThat(rewriteCalls).as("fast mode never asks").hasValue(1);
  }

  @Test
  void anyFailureGivesExactlyTheOfflineResult() throws Exception {
    rememberDistractorsAndTheVault();
    Map<String, Reply> failures = Map.of(
        "What was the thing we talked about?", ex -> answer(ex, 500, "boom"),
        "What was that thing we discussed?", ex -> answer(ex, 200, "{\"queries\": \"not a list\", \"shape\": \"answer\"}"),
        "Which thing did we talk about?", ex -> answer(ex, 200, "this is not JSON"),
        "What thing did we talk about then?", ex -> answer(ex, 200, "{\"queries\": [\"vault\"], \"shape\": \"sometimes\"}"),
        "What did we talk about, the thing?", ex -> {
          Thread.sleep(TIMEOUT.toMillis() * 3);
          answer(ex, 200, "{\"queries\": [\"vault combination code\"], \"shape\": \"answer\"}");
        });
    for (var f : failures.entrySet()) {
      rewrite = f.getValue();
      ContextResult got = fetch(engine.retriever(), f.getKey(), "accurate");
      ContextResult expected = fetch(offline, f.getKey(), "accurate");
      assertThat(ranking(got)).as(f.getKey()).isEqualTo(ranking(expected)).isNotEmpty();
    }
    assertThat(rewriteCalls).hasValue(failures.size());
  }

  private void rememberDistractorsAndTheVault() throws InterruptedException {
    String[] said = {"We talked about the weather all afternoon.", "The thing we talked about most was the garden.",
        "We talked about the new neighbours for a while.", "We talked about the football match on Saturday.",
        "The office vault combination code is 4471."};
    for (int i = 0; i < said.length; i++) {
      engine.ingest().record(new RecordRequest(instance, "conv-alice", "alice", null, "s1", "user", "message", said[i], Map.of(),
          Instant.parse("2024-01-10T10:00:00Z").plusSeconds(60L * i), null));
    }
    assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
  }

  private ContextResult fetch(Retriever r, String question, String mode) {
    return r.retrieve(new ContextQuery(instance, Scope.USER, null, "alice", null, List.of(question), Set.of(), 3, mode, 4096));
  }

  private static List<String> contents(ContextResult r) {
    return r.items().stream().map(i -> i.memory().content()).toList();
  }

  private static List<String> ranking(ContextResult r) {
    return r.items().stream().map(i -> i.memory().memoryId() + "@" + i.relevance()).toList();
  }

  private static void answer(HttpExchange ex, int status, String assistantContent) throws IOException {
    String body = status == 200
        ? JSON.writeValueAsString(Map.of("choices", List.of(Map.of("message", Map.of("role", "assistant", "content", assistantContent)))))
        : "{\"error\": \"" + assistantContent + "\"}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
