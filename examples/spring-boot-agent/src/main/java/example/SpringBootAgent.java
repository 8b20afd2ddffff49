package example;

import dev.synap.springai.SynapMemoryAdvisor;
import dev.synap.springai.SynapSpringAi;
import dev.synap.spring.boot.SynapHealthIndicator;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot agent: the starter builds the Synap client and the memory advisor from
 * configuration; a ChatClient uses the advisor. Session 1 tells a fact, session 2 (another
 * conversation) asks about it; prints what was remembered and where the context came from.
 *
 * <p>No LLM: the {@link ChatModel} bean stands in for one and answers with the remembered lines the
 * advisor put into the system prompt.
 */
@SpringBootApplication
public class SpringBootAgent {
  public static void main(String[] args) {
    System.exit(SpringApplication.exit(SpringApplication.run(SpringBootAgent.class, args)));
  }

  @Bean
  ChatModel parrot() {
    return prompt -> {
      String system = prompt.getSystemMessage() == null ? "" : prompt.getSystemMessage().getText();
      String answer = system.lines().filter(l -> l.startsWith("- [")).findFirst().map(l -> "From memory: " + l).orElse("Noted.");
      return new ChatResponse(List.of(new Generation(new AssistantMessage(answer))));
    };
  }

  @Bean
  CommandLineRunner agent(ChatModel model, SynapMemoryAdvisor advisor, SynapSpringAi memory, SynapHealthIndicator health) {
    return args -> {
      System.out.println("spring-boot-agent: health " + health.health().getStatus() + " " + health.health().getDetails());
      ChatClient chat = ChatClient.builder(model).defaultSystem("You are a helpful assistant.").defaultAdvisors(advisor).build();
      String session1 = "s1-" + UUID.randomUUID();
      String session2 = "s2-" + UUID.randomUUID();
      System.out.println("session 1: " + ask(chat, session1, "I am allergic to peanuts and I love Thai food.").chatResponse()
          .getResult().getOutput().getText());

      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (memory.memory().recall("peanuts allergic", 5, null).items().stream().noneMatch(i -> i.content().contains("peanuts"))) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("the fact was not extracted within 60 s");
        Thread.sleep(200);
      }

      System.out.println("  remembered:");
      memory.memory().recall("peanuts allergic", 5, null).items().forEach(i -> System.out.println("    - [" + i.type() + "] " + i.content()));
      ChatClientResponse second = ask(chat, session2, "Am I allergic to anything like peanuts?");
      System.out.println("session 2: " + second.chatResponse().getResult().getOutput().getText());
      Object source = second.context().get(SynapMemoryAdvisor.CONTEXT_SOURCE);
      System.out.println("  context from " + ("anticipation_cache".equals(source) ? "the anticipation cache" : "the server (" + source + ")"));
      System.out.println("spring-boot-agent: done");
    };
  }

  private static ChatClientResponse ask(ChatClient chat, String conversation, String text) {
    return chat.prompt().user(text).advisors(a -> a.param(ChatMemory.CONVERSATION_ID, conversation)).call().chatClientResponse();
  }
}
