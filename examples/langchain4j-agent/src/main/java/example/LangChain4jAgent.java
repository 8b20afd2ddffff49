package example;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.synap.integration.Recall;
import dev.synap.langchain4j.SynapLangChain4j;
import dev.synap.sdk.ContextItem;
import dev.synap.sdk.ListenCallbacks;
import dev.synap.sdk.Synap;
import java.time.Duration;
import java.util.UUID;

/**
 * A LangChain4j agent whose memory is Synap: session 1 tells it something, session 2 (a new
 * conversation and chat memory) asks about it. Prints what the agent remembered and whether the
 * context came from the SDK's anticipation cache or from the server.
 *
 * <p>No LLM: {@link Parrot} stands in for a chat model and answers from the context LangChain4j
 * injected into the prompt. Connection settings come from the environment as the SDK reads them:
 * {@code SYNAP_API_KEY} (required), {@code SYNAP_BASE_URL}, {@code SYNAP_GRPC_HOST}, {@code SYNAP_GRPC_PORT}.
 */
public final class LangChain4jAgent {
  interface Assistant {
    String chat(@MemoryId String conversation, @dev.langchain4j.service.UserMessage String message);
  }

  /** A stand-in model: repeats the first line of what LangChain4j injected into the prompt ("Noted." when nothing). */
  static final class Parrot implements ChatModel {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      ChatMessage last = request.messages().getLast();
      String text = last instanceof UserMessage u && u.hasSingleText() ? u.singleText() : "";
      int injected = text.indexOf("Answer using the following information:");
      String answer = injected < 0 ? "Noted." : text.substring(injected).lines().skip(1).filter(l -> !l.isBlank()).findFirst()
          .map(l -> "From memory: " + l.strip()).orElse("Noted.");
      return ChatResponse.builder().aiMessage(AiMessage.from(answer)).build();
    }
  }

  public static void main(String[] args) throws Exception {
    String user = "lc4j-user-" + UUID.randomUUID().toString().substring(0, 8);
    try (Synap synap = Synap.builder().connectTimeout(Duration.ofSeconds(30)).build()) {
      synap.instance().listen(ListenCallbacks.none());
      SynapLangChain4j memory = SynapLangChain4j.builder(synap).userId(user).pushWait(Duration.ofSeconds(1)).build();
      Assistant assistant = AiServices.builder(Assistant.class).chatModel(new Parrot())
          .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(20).chatMemoryStore(memory.chatMemoryStore()).build())
          .retrievalAugmentor(memory.retrievalAugmentor())
          .storeRetrievedContentInChatMemory(false)
          .registerListener(memory.replyPublisher())
          .tools(memory.tools())
          .build();

      System.out.println("langchain4j-agent: user " + user);
      System.out.println("session 1: " + assistant.chat("session-1", "My dog is called Rex and he loves the beach."));

      // Extraction runs behind the acknowledgement: wait until the fact is a memory.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (memory.memory().recall("dog Rex", 5, null).items().stream().noneMatch(i -> i.content().contains("Rex"))) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("the fact was not extracted within 60 s");
        Thread.sleep(200);
      }

      String answer = assistant.chat("session-2", "What is my dog called?");
      Recall recall = memory.contentRetriever().lastRecall();
      System.out.println("session 2: " + answer);
      System.out.println("  remembered:");
      for (ContextItem i : recall.items()) System.out.println("    - [" + i.type() + "] " + i.content());
      System.out.println("  context from " + (recall.fromCache() ? "the anticipation cache" : "the server (" + recall.source() + ")"));
      System.out.println("langchain4j-agent: done");
    }
  }
}
