package dev.synap.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.synap.core.extract.llm.LlmSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The optional LLM improves the rules' configuration through an OpenAI-compatible endpoint (a fake one on loopback); any failure keeps the rules'. */
class BriefRefinerTest {
  static final String BRIEF = "## Target users\nShoppers.\n## Task examples\n- What sizes do I prefer?\n## Out of scope\n- Politics.\n";
  HttpServer llm;
  final AtomicReference<String> answer = new AtomicReference<>();
  final AtomicReference<Integer> status = new AtomicReference<>(200);
  final AtomicReference<String> asked = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    llm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    llm.createContext("/v1/chat/completions", ex -> {
      asked.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status.get(), body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    llm.start();
  }

  @AfterEach
  void stop() {
    llm.stop(0);
  }

  BriefRefiner refiner() {
    return new BriefRefiner(new LlmSettings(URI.create("http://127.0.0.1:" + llm.getAddress().getPort()), null, "m", Duration.ofSeconds(5), 0));
  }

  static String completion(String content) throws Exception {
    ObjectMapper json = new ObjectMapper();
    var root = json.createObjectNode();
    root.putArray("choices").addObject().putObject("message").put("role", "assistant").put("content", content);
    return root.toString();
  }

  @Test
  void theLlmsConfigurationIsUsedAndItsChangesAreFlagged() throws Exception {
    BriefRules.Result rules = BriefRules.generate(BRIEF);
    MemoryConfig better = new MemoryConfig(rules.config().categories(), 0.8, rules.config().maxMemoryAgeDays(), rules.config().neverRemember(),
        rules.config().compaction(), rules.config().retrieval(), rules.config().anticipation());
    answer.set(completion(better.toJson().toString()));
    BriefRules.Result refined = refiner().refine(BRIEF, rules);
    assertThat(refined.config().confidenceThreshold()).isEqualTo(0.8);
    assertThat(refined.flags()).anyMatch(f -> f.field().equals("confidence_threshold") && f.reason().contains("LLM"));
    assertThat(asked.get()).contains("Shoppers").contains("confidence_threshold");
  }

  @Test
  void withoutAnLlmOrWithAFailingOneTheRulesConfigurationStands() throws Exception {
    BriefRules.Result rules = BriefRules.generate(BRIEF);
    assertThat(new BriefRefiner(null).refine(BRIEF, rules)).isSameAs(rules);
    status.set(500);
    answer.set("{}");
    assertThat(refiner().refine(BRIEF, rules).config()).isEqualTo(rules.config());
    status.set(200);
    answer.set(completion("{\"confidence_threshold\": 7}"));
    BriefRules.Result invalid = refiner().refine(BRIEF, rules);
    assertThat(invalid.config()).isEqualTo(rules.config());
    assertThat(invalid.flags()).anyMatch(f -> f.field().equals("llm") && f.reason().contains("not used"));
  }
}
