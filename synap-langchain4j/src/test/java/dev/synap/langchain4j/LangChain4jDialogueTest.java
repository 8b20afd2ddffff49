package dev.synap.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.synap.integration.ConversationIds;
import dev.synap.integration.testing.LoopbackServer;
import dev.synap.sdk.CompactRequest;
import dev.synap.sdk.ListenCallbacks;
import dev.synap.sdk.PromptContext;
import dev.synap.sdk.Synap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AiServices with a scripted ChatModel against a real server on loopback. */
class LangChain4jDialogueTest {
  interface Assistant {
    String chat(@MemoryId String conversation, @UserMessage String message);
  }

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

  static Assistant assistant(SynapLangChain4j memory, ScriptedChatModel model) {
    return assistant(memory, model, 3);
  }

  static Assistant assistant(SynapLangChain4j memory, ScriptedChatModel model, int window) {
    return AiServices.builder(Assistant.class).chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(window).chatMemoryStore(memory.chatMemoryStore()).build())
        .retrievalAugmentor(memory.retrievalAugmentor())
        .storeRetrievedContentInChatMemory(false)
        .registerListener(memory.replyPublisher())
        .tools(memory.tools())
        .build();
  }

  static List<String> turns(String conversation) {
    PromptContext p = synap.conversation().context().getContextForPrompt(conversation);
    return p.recentMessages().stream().map(t -> t.role() + ": " + t.content()).toList();
  }

  @Test
  void theSecondSessionsPromptHoldsAFactFromTheFirstServedFromTheCache() throws Exception {
    SynapLangChain4j memory = SynapLangChain4j.builder(synap).userId("alice").pushWait(Duration.ofSeconds(2)).build();
    ScriptedChatModel model = new ScriptedChatModel()
        .then("A beagle called Rex, lovely.")
        .then("Noted: Lisbon in May.")
        .then("Your dog is called Rex.");

    // Session 1: published on the stream and recorded by the store, each turn exactly once, even as
    // the window (3 messages) slides and LangChain4j passes it whole again.
    Assistant first = assistant(memory, model);
    first.chat("session-1", "My dog is called Rex and he is a beagle.");
    first.chat("session-1", "I am travelling to Lisbon in May.");
    String session1 = ConversationIds.of("session-1", "alice", null);
    assertThat(synap.instance().flush(Duration.ofSeconds(10))).isTrue();
    assertThat(turns(session1)).containsExactly(
        "user: My dog is called Rex and he is a beagle.", "assistant: A beagle called Rex, lovely.",
        "user: I am travelling to Lisbon in May.", "assistant: Noted: Lisbon in May.");
    server.awaitIngested();

    // Session 2: a new conversation and a new chat memory; the prompt carries the first session's fact.
    Assistant second = assistant(memory, model);
    assertThat(second.chat("session-2", "What is my dog called?")).isEqualTo("Your dog is called Rex.");
    assertThat(model.lastPrompt()).contains("Rex");
    assertThat(memory.contentRetriever().lastRecall().fromCache()).as("served from the anticipation cache").isTrue();
    assertThat(synap.cache().stats().hits()).isPositive();
  }

  @Test
  void retrievedContentCarriesMetadata() throws Exception {
    SynapLangChain4j memory = SynapLangChain4j.builder(synap).userId("bob").build();
    memory.memory().record(memory.memory().conversation("chat"), "user", "I prefer green tea over coffee.");
    server.awaitIngested();
    List<Content> contents = memory.contentRetriever().retrieve(Query.from("tea or coffee"));
    assertThat(contents).isNotEmpty();
    var m = contents.getFirst().textSegment().metadata();
    assertThat(contents.getFirst().textSegment().text()).containsIgnoringCase("tea");
    assertThat(m.getString("type")).isNotBlank();
    assertThat(m.getString("scope")).isEqualTo("user");
    assertThat(m.getDouble("confidence")).isPositive();
    assertThat(m.getString("context_source")).isIn("cloud", "anticipation_cache");
  }

  @Test
  void getMessagesReturnsTheCompactedSummaryThenTheRecentTurns() throws Exception {
    SynapLangChain4j memory = SynapLangChain4j.builder(synap).userId("carol").build();
    String conversation = memory.memory().conversation("long-chat");
    for (String s : List.of("My sister Ana lives in Porto.", "She works as an architect.", "We meet every Christmas.")) {
      memory.memory().record(conversation, "user", s);
      memory.memory().record(conversation, "assistant", "Thanks for telling me.");
    }
    server.awaitIngested();
    synap.conversation().context().compact(CompactRequest.of(conversation).force(true).build());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"completed".equals(synap.conversation().context().getCompactionStatus(conversation).status()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    memory.memory().record(conversation, "user", "Ana turns 40 next week.");

    List<ChatMessage> messages = memory.chatMemoryStore().getMessages("long-chat");
    assertThat(messages.getFirst()).isInstanceOf(SystemMessage.class);
    assertThat(((SystemMessage) messages.getFirst()).text()).contains("Porto");
    assertThat(messages.getLast()).isInstanceOf(dev.langchain4j.data.message.UserMessage.class);
    assertThat(((dev.langchain4j.data.message.UserMessage) messages.getLast()).singleText()).isEqualTo("Ana turns 40 next week.");

    // deleteMessages: the conversation goes on the platform (turns, memories, compaction).
    memory.chatMemoryStore().deleteMessages("long-chat");
    assertThat(synap.memories().list("carol", null, 100, 0, false).memories())
        .noneMatch(mem -> conversation.equals(mem.conversationId()));
    assertThat(SynapLangChain4j.builder(synap).userId("carol").build().chatMemoryStore().getMessages("long-chat")).isEmpty();
    memory.chatMemoryStore().deleteMessages("long-chat"); // already gone: nothing to do, no error
  }

  @Test
  void rememberToolStoresAFactThatRecallFinds() throws Exception {
    SynapLangChain4j memory = SynapLangChain4j.builder(synap).userId("dave").conversationId("tools").build();
    ScriptedChatModel model = new ScriptedChatModel()
        .then(AiMessage.from(List.of(ToolExecutionRequest.builder().id("1").name("remember")
            .arguments("{\"fact\":\"Dave is allergic to peanuts.\"}").build())))
        .then("I will remember that.");
    assertThat(assistant(memory, model, 10).chat("tools", "Please remember that I am allergic to peanuts.")).isEqualTo("I will remember that.");
    assertThat(model.lastPrompt()).contains("Stored (ingestion");
    server.awaitIngested();
    assertThat(memory.tools().recall("peanuts allergy")).containsIgnoringCase("peanuts");
  }
}
