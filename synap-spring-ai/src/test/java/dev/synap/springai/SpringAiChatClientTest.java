package dev.synap.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.integration.ConversationIds;
import dev.synap.integration.testing.LoopbackServer;
import dev.synap.sdk.ListenCallbacks;
import dev.synap.sdk.Synap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;

/** ChatClient with a scripted ChatModel against a real server on loopback. */
class SpringAiChatClientTest {
  @TempDir static Path dir;
  static LoopbackServer server;
  static Synap synap;

  @BeforeAll
  static void start() {
    server = new LoopbackServer(dir);
    synap = server.client();
    synap.instance().listen(ListenCallbacks.none());
  }

  @AfterAll
  static void stop() {
    synap.close();
    server.close();
  }

  static List<String> turns(String conversation) {
    return synap.conversation().context().getContextForPrompt(conversation).recentMessages().stream()
        .map(t -> t.role() + ": " + t.content()).toList();
  }

  static ChatClientResponse ask(ChatClient chat, String conversation, String text) {
    return chat.prompt().user(text).advisors(a -> a.param(ChatMemory.CONVERSATION_ID, conversation)).call().chatClientResponse();
  }

  @Test
  void advisorRecordsBothTurnsAndTheNextSessionGetsTheFactFromTheCache() throws Exception {
    SynapSpringAi memory = SynapSpringAi.builder(synap).userId("erin").pushWait(Duration.ofSeconds(2)).build();
    ScriptedChatModel model = new ScriptedChatModel().then("Fontainebleau is a great place.").then("You like Fontainebleau.");
    ChatClient chat = ChatClient.builder(model).defaultSystem("You are a helpful assistant.").defaultAdvisors(memory.advisor()).build();

    ask(chat, "s1", "My favourite climbing spot is Fontainebleau in France.");
    assertThat(synap.instance().flush(Duration.ofSeconds(10))).isTrue();
    assertThat(turns(ConversationIds.of("s1", "erin", null))).containsExactly(
        "user: My favourite climbing spot is Fontainebleau in France.", "assistant: Fontainebleau is a great place.");
    server.awaitIngested();

    ChatClientResponse second = ask(chat, "s2", "Where is my favourite climbing spot?");
    assertThat(second.chatResponse().getResult().getOutput().getText()).isEqualTo("You like Fontainebleau.");
    assertThat(model.lastPrompt()).contains("SYSTEM: You are a helpful assistant.").contains("Fontainebleau");
    assertThat(second.context().get(SynapMemoryAdvisor.CONTEXT_SOURCE)).as("served from the anticipation cache").isEqualTo("anticipation_cache");
  }

  @Test
  void injectedContextStaysWithinTheTokenBudget() throws Exception {
    SynapSpringAi memory = SynapSpringAi.builder(synap).userId("frank").tokenBudget(12).build();
    for (String s : List.of("I grow tomatoes in my garden every summer.", "My garden also has basil and mint.",
        "The garden shed is painted blue.")) {
      memory.memory().record(memory.memory().conversation("g"), "user", s);
    }
    server.awaitIngested();
    ScriptedChatModel model = new ScriptedChatModel().then("ok");
    ChatClient.builder(model).defaultAdvisors(memory.advisor()).build().prompt().user("what is in my garden?").call().content();
    String system = model.prompts.getLast().getSystemMessage().getText();
    String remembered = system.substring(system.indexOf("- ["));
    assertThat(remembered.length() / 4).isLessThanOrEqualTo(12 + 8); // budget plus the "- [type] " prefixes
    assertThat(remembered.lines().count()).isBetween(1L, 2L);
  }

  @Test
  void repositoryRecordsEachTurnOnceAsTheWindowSlides() {
    SynapSpringAi memory = SynapSpringAi.builder(synap).userId("gina").build();
    ChatMemory window = MessageWindowChatMemory.builder().chatMemoryRepository(memory.chatMemoryRepository()).maxMessages(3).build();
    ScriptedChatModel model = new ScriptedChatModel().then("one").then("two").then("three");
    ChatClient chat = ChatClient.builder(model)
        .defaultAdvisors(MessageChatMemoryAdvisor.builder(window).build(), memory.contextOnlyAdvisor()).build();
    ask(chat, "w", "first question");
    ask(chat, "w", "second question");
    ask(chat, "w", "third question");
    assertThat(turns(ConversationIds.of("w", "gina", null))).containsExactly("user: first question", "assistant: one",
        "user: second question", "assistant: two", "user: third question", "assistant: three");
    assertThat(memory.chatMemoryRepository().findByConversationId("w")).hasSize(6); // a new repository reads the platform
  }

  @Test
  void documentRetrieverMapsItemsWithMetadata() throws Exception {
    SynapSpringAi memory = SynapSpringAi.builder(synap).userId("hank").build();
    memory.memory().record(memory.memory().conversation("d"), "user", "I am learning to play the cello.");
    server.awaitIngested();
    List<Document> docs = memory.documentRetriever().retrieve(new Query("cello"));
    assertThat(docs).isNotEmpty();
    assertThat(docs.getFirst().getText()).containsIgnoringCase("cello");
    assertThat(docs.getFirst().getMetadata()).containsKeys("type", "scope", "confidence", "context_source");
  }
}
