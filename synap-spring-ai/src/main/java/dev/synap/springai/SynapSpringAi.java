package dev.synap.springai;

import dev.synap.integration.SynapMemory;
import dev.synap.sdk.Synap;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entry point: memory for Spring AI over an already-built {@link Synap} client, for a default
 * owner (user, customer) that each {@code ChatClient} call may override through the advisor
 * parameters {@link SynapMemoryAdvisor#USER_ID} and {@link SynapMemoryAdvisor#CUSTOMER_ID}.
 *
 * <pre>{@code
 * SynapSpringAi memory = SynapSpringAi.builder(synap).userId("alice").build();
 * ChatClient chat = ChatClient.builder(chatModel).defaultAdvisors(memory.advisor()).build();
 * chat.prompt().user("What is my dog called?")
 *     .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "chat-42")).call().content();
 * }</pre>
 */
public final class SynapSpringAi {
  private record Owner(String userId, String customerId) {}

  private final Builder settings;
  private final Map<Owner, SynapMemory> memories = new ConcurrentHashMap<>();
  private final SynapMemory memory;

  private SynapSpringAi(Builder b) {
    this.settings = b;
    this.memory = memoryFor(b.userId, b.customerId);
  }

  public static Builder builder(Synap synap) {
    return new Builder(synap);
  }

  /** The default owner's memory. */
  public SynapMemory memory() {
    return memory;
  }

  /** The memory of another owner of the same client (kept, one per owner). */
  public SynapMemory memoryFor(String userId, String customerId) {
    return memories.computeIfAbsent(new Owner(userId, customerId), o -> SynapMemory.builder(settings.synap).userId(o.userId())
        .customerId(o.customerId()).conversationId(settings.conversationId).meterRegistry(settings.meters).integration("spring-ai")
        .pushWait(settings.pushWait).build());
  }

  /** A repository for Spring's {@code MessageWindowChatMemory} (the default owner's conversations). */
  public SynapChatMemoryRepository chatMemoryRepository() {
    return new SynapChatMemoryRepository(memory);
  }

  /** The advisor that records both turns and injects what memory knows, within {@code tokenBudget} (default 1,000). */
  public SynapMemoryAdvisor advisor() {
    return new SynapMemoryAdvisor(this, settings.tokenBudget, true);
  }

  /**
   * The advisor without recording, to pair with a {@code MessageChatMemoryAdvisor} on
   * {@link #chatMemoryRepository()} (which then records the turns).
   */
  public SynapMemoryAdvisor contextOnlyAdvisor() {
    return new SynapMemoryAdvisor(this, settings.tokenBudget, false);
  }

  public SynapDocumentRetriever documentRetriever() {
    return new SynapDocumentRetriever(memory, 10);
  }

  /** Default owner, conversation, budget and metrics. */
  public static final class Builder {
    private final Synap synap;
    private String userId;
    private String customerId;
    private Object conversationId = "default";
    private MeterRegistry meters = Metrics.globalRegistry;
    private int tokenBudget = 1000;
    private Duration pushWait = Duration.ofMillis(200);

    private Builder(Synap synap) {
      this.synap = Objects.requireNonNull(synap, "synap");
    }

    public Builder userId(String v) {
      this.userId = v;
      return this;
    }

    public Builder customerId(String v) {
      this.customerId = v;
      return this;
    }

    /** The conversation of calls that name none (Spring AI's own default is {@code "default"}). */
    public Builder conversationId(Object v) {
      this.conversationId = v;
      return this;
    }

    public Builder meterRegistry(MeterRegistry v) {
      this.meters = Objects.requireNonNull(v);
      return this;
    }

    /** Tokens of remembered context the advisor adds to a prompt at most (estimated at 4 characters a token). */
    public Builder tokenBudget(int tokens) {
      if (tokens < 1) throw new IllegalArgumentException("tokenBudget must be positive, got " + tokens);
      this.tokenBudget = tokens;
      return this;
    }

    /** How long the advisor waits for the push its published message causes (200 ms). */
    public Builder pushWait(Duration v) {
      this.pushWait = Objects.requireNonNull(v);
      return this;
    }

    public SynapSpringAi build() {
      return new SynapSpringAi(this);
    }
  }
}
