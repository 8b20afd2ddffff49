package dev.synap.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.integration.testing.LoopbackServer;
import dev.synap.sdk.Synap;
import dev.synap.springai.SynapChatMemoryRepository;
import dev.synap.springai.SynapDocumentRetriever;
import dev.synap.springai.SynapMemoryAdvisor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter in a Boot application context, against a real server on loopback. */
class SynapAutoConfigurationTest {
  @TempDir static Path dir;
  static LoopbackServer server;

  @BeforeAll
  static void start() {
    server = new LoopbackServer(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  ApplicationContextRunner runner(String key) {
    return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SynapAutoConfiguration.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("synap.api-key=" + key, "synap.base-url=" + server.baseUrl(), "synap.grpc.host=127.0.0.1",
            "synap.grpc.port=" + server.grpcPort(), "synap.user-id=ivy");
  }

  @Test
  void startsTheClientTheMemoryBeansHealthAndMetrics() {
    AtomicReference<Synap> closed = new AtomicReference<>();
    runner(server.key()).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Synap.class).hasSingleBean(SynapMemoryAdvisor.class)
          .hasSingleBean(SynapDocumentRetriever.class).hasSingleBean(SynapHealthIndicator.class);
      assertThat(ctx.getBean(ChatMemoryRepository.class)).isInstanceOf(SynapChatMemoryRepository.class);
      Synap synap = ctx.getBean(Synap.class);
      closed.set(synap);
      assertThat(synap.instance().isListening()).isTrue();

      Health health = ctx.getBean(SynapHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("listening", true).containsKey("instance_id");

      // The advisor bean works in a ChatClient: it records the turn for the configured user.
      AtomicReference<Prompt> seen = new AtomicReference<>();
      ChatModel model = prompt -> {
        seen.set(prompt);
        return new ChatResponse(List.of(new Generation(new AssistantMessage("Noted."))));
      };
      ChatClient.builder(model).defaultAdvisors(ctx.getBean(SynapMemoryAdvisor.class)).build()
          .prompt().user("I live in Ghent.").call().content();
      assertThat(seen.get()).isNotNull();
      server.awaitIngested();
      assertThat(synap.memories().list("ivy", null, 10, 0, false).memories()).isNotEmpty();

      MeterRegistry meters = ctx.getBean(MeterRegistry.class);
      ctx.getBean(SynapClientMetrics.class).bindTo(meters); // Actuator's metrics auto-configuration does this in an application
      assertThat(meters.find("synap.cache.requests").tag("result", "hit").functionCounter()).isNotNull();
      assertThat(meters.find("synap.stream.reconnects").functionCounter()).isNotNull();
      assertThat(meters.find("synap.integration.fetch").timer()).as("fetch latency").isNotNull();
    });
    assertThat(closed.get().instance().isListening()).as("closed with the context").isFalse();
  }

  @Test
  void aRefusedKeyStartsTheApplicationWithHealthDown() {
    runner("sk_live_0000000000000000000000000000").withPropertyValues("synap.listen=false").run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(SynapHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
    });
  }

  @Test
  void noKeyIsAClearStartupError() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SynapAutoConfiguration.class)).run(ctx -> {
      if (System.getenv("SYNAP_API_KEY") != null) return; // the environment provides one
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).hasStackTraceContaining("synap.api-key");
    });
  }
}
