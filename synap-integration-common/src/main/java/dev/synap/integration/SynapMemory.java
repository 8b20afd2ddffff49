package dev.synap.integration;

import dev.synap.sdk.CacheStats;
import dev.synap.sdk.CompactRequest;
import dev.synap.sdk.CompactionStarted;
import dev.synap.sdk.ContextNotFoundException;
import dev.synap.sdk.ContextResponse;
import dev.synap.sdk.DeletedMemory;
import dev.synap.sdk.FetchRequest;
import dev.synap.sdk.Identity;
import dev.synap.sdk.InvalidInputException;
import dev.synap.sdk.Memory;
import dev.synap.sdk.MemoriesClient;
import dev.synap.sdk.PromptContext;
import dev.synap.sdk.RecordMessage;
import dev.synap.sdk.RecordedMessage;
import dev.synap.sdk.SendMessage;
import dev.synap.sdk.Synap;
import dev.synap.sdk.UserProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The memory of one owner (a user, in B2B with their customer; or a customer; or the whole
 * instance) as every integration uses it, over an already-built {@link Synap} client. Each
 * operation exists once here; the LangChain4j, Spring AI and MCP adapters only translate.
 *
 * <p>Conventions (those of the official integrations): reads fail soft through {@link SoftReads}
 * (empty, one log line, a counter); writes throw the SDK's typed exceptions
 * ({@code SynapTransientException} and {@code SynapPermanentException} subclasses); retrieval mode
 * {@code fast}; documents ingested {@code long-range}; framework conversation ids mapped by
 * {@link ConversationIds}. Thread-safe; the client is not closed here (the application owns it).
 */
public final class SynapMemory {
  private final Synap synap;
  private final String userId;
  private final String customerId;
  private final Object defaultConversation;
  private final SoftReads reads;
  private final MeterRegistry meters;
  private final String integration;
  private final Duration pushWait;
  private final TurnKeys turnKeys = new TurnKeys();

  private SynapMemory(Builder b) {
    this.synap = Objects.requireNonNull(b.synap, "synap");
    this.userId = blankToNull(b.userId);
    this.customerId = blankToNull(b.customerId);
    this.defaultConversation = b.conversationId;
    this.meters = b.meters;
    this.integration = b.integration;
    this.reads = new SoftReads(b.meters, b.integration);
    this.pushWait = b.pushWait;
  }

  public static Builder builder(Synap synap) {
    return new Builder(synap);
  }

  public Synap synap() {
    return synap;
  }

  public String userId() {
    return userId;
  }

  public String customerId() {
    return customerId;
  }

  public SoftReads reads() {
    return reads;
  }

  public MeterRegistry meters() {
    return meters;
  }

  /** The scope this memory reads: {@code user}, {@code customer} or {@code client}. */
  public String scope() {
    return userId != null ? "user" : customerId != null ? "customer" : "client";
  }

  /**
   * The platform's conversation id for a framework's id; {@code null} means the default
   * conversation given to the builder.
   *
   * @throws InvalidInputException when neither is given
   */
  public String conversation(Object frameworkId) {
    Object id = frameworkId != null ? frameworkId : defaultConversation;
    if (id == null) throw new InvalidInputException("a conversation id is required (none given and no default conversation)");
    return ConversationIds.of(id, userId, customerId);
  }

  // ---- writes: typed exceptions ----

  /** Records one turn over REST; durable when it returns. The key the stream used for it, if any, makes it one message. */
  public RecordedMessage record(String conversationId, String role, String content) {
    RecordMessage.Builder m = RecordMessage.of(conversationId, role, content).userId(userId).customerId(customerId)
        .idempotencyKey(turnKeys.key(conversationId, role, content)).metadata("integration", integration);
    return synap.conversation().recordMessage(m.build());
  }

  /**
   * Publishes a turn on the Listen stream so the server anticipates the next one (the bundle lands
   * in the SDK's cache). The event also records the turn, under the key {@link #record} then reuses.
   *
   * @return false when the client is not listening (nothing sent)
   */
  public boolean publish(String conversationId, String role, String content) {
    if (!synap.instance().isListening()) return false;
    String key = turnKeys.key(conversationId, role, content);
    synap.instance().sendMessage(SendMessage.builder(content).role(role)
        .eventType("assistant".equals(role) ? "assistant_message" : "user_message")
        .conversationId(conversationId).userId(userId).customerId(customerId)
        .metadata("event_id", key).metadata("integration", integration).build());
    return true;
  }

  /** Stores a fact the agent was asked to remember, as a document of this owner (ingested {@code long-range}). */
  public MemoriesClient.Accepted remember(String text) {
    if (text == null || text.isBlank()) throw new InvalidInputException("nothing to remember: the text is empty");
    MemoriesClient.Document d = MemoriesClient.Document.of(text).withType("ai-chat-conversation");
    if (userId != null) d = d.forUser(userId);
    if (customerId != null) d = d.forCustomer(customerId);
    return synap.memories().create(d);
  }

  public DeletedMemory forget(String memoryId) {
    if (memoryId == null || memoryId.isBlank()) throw new InvalidInputException("memory_id is required");
    return synap.memories().delete(memoryId);
  }

  /**
   * Deletes one conversation on the platform: its raw turns, the memories extracted from it and its
   * compactions. A conversation the platform does not hold is already deleted.
   *
   * @return how many memories went
   */
  public long deleteConversation(String conversationId) {
    try {
      return synap.conversation().delete(conversationId).memories();
    } catch (ContextNotFoundException e) {
      return 0;
    }
  }

  public CompactionStarted compact(String conversationId, String strategy) {
    CompactRequest.Builder r = CompactRequest.of(conversationId);
    if (strategy != null && !strategy.isBlank()) r.strategy(strategy);
    return synap.conversation().context().compact(r.build());
  }

  // ---- reads: soft ----

  /**
   * Context for a query in this owner's scope, {@code fast} mode, answered by the anticipation
   * cache when it holds what the query needs. Empty (source {@code unavailable}) when the read fails.
   * Never the query itself: a message just published or recorded can already be a memory, and
   * handing it back as "what you remember" would only echo it.
   */
  public Recall recall(String query, int maxResults, Integer tokenBudget) {
    String scope = scope();
    return reads.read("recall", () -> {
      FetchRequest.Builder r = switch (scope) {
        case "user" -> FetchRequest.forUser(userId).customerId(customerId);
        case "customer" -> FetchRequest.forCustomer(customerId);
        default -> FetchRequest.forClient();
      };
      if (query != null && !query.isBlank()) r.query(query);
      r.maxResults(maxResults).mode("fast");
      if (tokenBudget != null) r.tokenBudget(tokenBudget);
      FetchRequest request = r.build();
      Timer.Sample sample = Timer.start(meters);
      ContextResponse response = switch (scope) {
        case "user" -> synap.user().context().fetch(request);
        case "customer" -> synap.customer().context().fetch(request);
        default -> synap.client().context().fetch(request);
      };
      sample.stop(Timer.builder("synap.integration.fetch").description("context fetches, cache or server")
          .tag("integration", integration).tag("source", response.source()).register(meters));
      return Recall.of(response, scope).without(query);
    }, Recall.unavailable(scope));
  }

  /**
   * The conversation as the platform keeps it: the compacted summary (if any) and the turns after
   * it. Empty for a conversation the platform does not know, or when the read fails.
   */
  public Optional<PromptContext> conversationContext(String conversationId) {
    return reads.read("conversation", () -> Optional.of(synap.conversation().context().getContextForPrompt(conversationId)), Optional.empty());
  }

  /** This owner's newest memories (what the platform extracted), newest first as the server lists them. */
  public List<Memory> recentMemories(int limit) {
    return reads.read("list_memories", () -> synap.memories().list(userId, customerId, limit, 0, false).memories(), List.of());
  }

  public Optional<UserProfile> profile() {
    if (userId == null) return Optional.empty();
    return reads.read("profile", () -> synap.user().getProfile(userId, customerId), Optional.empty());
  }

  /** Who the key belongs to; empty when the server cannot be reached or refuses the key. */
  public Optional<Identity> identity() {
    return reads.read("whoami", () -> Optional.of(synap.whoami()), Optional.empty());
  }

  public boolean listening() {
    return synap.instance().isListening();
  }

  public CacheStats cacheStats() {
    return synap.cache().stats();
  }

  /**
   * Waits (at most the builder's push wait, 200 ms by default) until the cache stored a bundle
   * beyond {@code bundlesBefore}: the server's answer to an event just published. Returns at once
   * when not listening.
   */
  public boolean awaitPush(long bundlesBefore) throws InterruptedException {
    if (!listening()) return false;
    long deadline = System.nanoTime() + pushWait.toNanos();
    while (System.nanoTime() < deadline) {
      if (synap.cache().stats().bundlesStored() > bundlesBefore) return true;
      Thread.sleep(2);
    }
    return synap.cache().stats().bundlesStored() > bundlesBefore;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Owner and behaviour of a {@link SynapMemory}. */
  public static final class Builder {
    private final Synap synap;
    private String userId;
    private String customerId;
    private Object conversationId;
    private MeterRegistry meters = Metrics.globalRegistry;
    private String integration = "sdk";
    private Duration pushWait = Duration.ofMillis(200);

    private Builder(Synap synap) {
      this.synap = synap;
    }

    public Builder userId(String v) {
      this.userId = v;
      return this;
    }

    /** The customer (B2B instances: required with a user id). */
    public Builder customerId(String v) {
      this.customerId = v;
      return this;
    }

    /** The conversation used when the framework names none (any id; mapped by {@link ConversationIds}). */
    public Builder conversationId(Object v) {
      this.conversationId = v;
      return this;
    }

    /** Where counters and timers go; Micrometer's global registry by default. */
    public Builder meterRegistry(MeterRegistry v) {
      this.meters = Objects.requireNonNull(v);
      return this;
    }

    /** The name in log lines, metric tags and recorded turns' metadata ({@code langchain4j}, {@code spring-ai}, {@code mcp}). */
    public Builder integration(String v) {
      this.integration = Objects.requireNonNull(v);
      return this;
    }

    /** How long a read right after a published event waits for the server's push (200 ms; zero never waits). */
    public Builder pushWait(Duration v) {
      this.pushWait = Objects.requireNonNull(v);
      return this;
    }

    public SynapMemory build() {
      return new SynapMemory(this);
    }
  }
}
