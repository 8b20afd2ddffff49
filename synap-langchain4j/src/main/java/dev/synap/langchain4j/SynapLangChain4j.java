package dev.synap.langchain4j;

import dev.synap.integration.SynapMemory;
import dev.synap.sdk.Synap;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The entry point: one owner's memory as LangChain4j components that work together.
 *
 * <pre>{@code
 * SynapLangChain4j memory = SynapLangChain4j.builder(synap).userId("alice").build();
 * Assistant assistant = AiServices.builder(Assistant.class)
 *     .chatModel(model)
 *     .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(20)
 *         .chatMemoryStore(memory.chatMemoryStore()).build())
 *     .retrievalAugmentor(memory.retrievalAugmentor())
 *     .storeRetrievedContentInChatMemory(false)   // record what the user said, not the injected context
 *     .registerListener(memory.replyPublisher())
 *     .tools(memory.tools())
 *     .build();
 * }</pre>
 *
 * <p>The augmentor publishes the user's message on the Listen stream (when the client listens) and
 * the reply publisher the model's answer, so the server anticipates the next turn into the SDK's
 * cache without extra code; the store records both turns over REST under the same keys, so each
 * turn is stored once whichever arrives first.
 */
public final class SynapLangChain4j {
  private final SynapMemory memory;
  private final SynapChatMemoryStore store;
  private final SynapContentRetriever retriever;

  private SynapLangChain4j(SynapMemory memory) {
    this.memory = memory;
    this.store = new SynapChatMemoryStore(memory);
    this.retriever = new SynapContentRetriever(memory, 10);
  }

  public static Builder builder(Synap synap) {
    return new Builder(synap);
  }

  /** The shared operations underneath (also what {@link #tools()} call). */
  public SynapMemory memory() {
    return memory;
  }

  public SynapChatMemoryStore chatMemoryStore() {
    return store;
  }

  public SynapContentRetriever contentRetriever() {
    return retriever;
  }

  public SynapRetrievalAugmentor retrievalAugmentor() {
    return new SynapRetrievalAugmentor(memory, retriever);
  }

  public SynapReplyPublisher replyPublisher() {
    return new SynapReplyPublisher(memory);
  }

  public SynapMemoryTools tools() {
    return new SynapMemoryTools(memory);
  }

  /** Owner, default conversation and metrics of the components. */
  public static final class Builder {
    private final SynapMemory.Builder memory;

    private Builder(Synap synap) {
      this.memory = SynapMemory.builder(synap).integration("langchain4j");
    }

    public Builder userId(String v) {
      memory.userId(v);
      return this;
    }

    public Builder customerId(String v) {
      memory.customerId(v);
      return this;
    }

    /** Used when LangChain4j names no memory id (tools, a retriever without chat memory). */
    public Builder conversationId(Object v) {
      memory.conversationId(v);
      return this;
    }

    public Builder meterRegistry(MeterRegistry v) {
      memory.meterRegistry(v);
      return this;
    }

    /** How long retrieval waits for the push the published message causes (200 ms). */
    public Builder pushWait(Duration v) {
      memory.pushWait(v);
      return this;
    }

    public SynapLangChain4j build() {
      return new SynapLangChain4j(memory.build());
    }
  }
}
