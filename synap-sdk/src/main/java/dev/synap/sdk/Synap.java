package dev.synap.sdk;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Entry point of the Java SDK, the twin of the official client's surface.
 *
 * <pre>{@code
 * try (Synap synap = Synap.builder().apiKey(key).baseUrl("http://127.0.0.1:8080")
 *         .grpcHost("127.0.0.1").grpcPort(50051).build()) {
 *   synap.conversation().recordMessage(RecordMessage.user(conversationId, "My dog is called Rex").userId("u1").build());
 *   synap.instance().listen(ListenCallbacks.onContext(bundle -> System.out.println(bundle.itemIds())));
 *   synap.instance().sendMessage(SendMessage.builder("what was my dog's name?").userId("u1").build());
 *   ContextResponse ctx = synap.user().context().fetch(FetchRequest.forUser("u1").query("dog name").build());
 * }
 * }</pre>
 *
 * <p>Calls block the calling thread and are safe to make from many threads; they are cheap on
 * virtual threads, which is the intended way to run many in parallel. Callbacks run on the SDK's
 * own stream thread and should return quickly.
 */
public final class Synap implements AutoCloseable {
  private final SynapConfig config;
  private final RestTransport rest;
  private final AnticipationCache cache;
  private final InstanceClient instance;
  private final CompactionUpdates compactionUpdates = new CompactionUpdates();
  private final TelemetrySender telemetry;

  private Synap(SynapConfig config) {
    this.config = config;
    this.rest = new RestTransport(config);
    this.cache = new AnticipationCache(config.cacheCapacity(), config.cacheTtl(), config.cacheMaxAge(), config.cacheMinCoverage(),
        config.cacheRecentSlots(), System::nanoTime);
    this.telemetry = config.telemetry()
        ? new TelemetrySender(config.baseUrl(), config.apiKey(), Duration.ofSeconds(10), Duration.ofSeconds(1))
        : TelemetrySender.off();
    this.instance = new InstanceClient(config, rest, cache, compactionUpdates, telemetry);
    telemetry.record(SdkEvent.of("sdk_init"));
  }

  public static Builder builder() {
    return new Builder();
  }

  public ConversationClient conversation() {
    return new ConversationClient(rest, instance, compactionUpdates, cache);
  }

  public ScopedContextClient user() {
    return new ScopedContextClient("user", rest, instance, cache);
  }

  public ScopedContextClient customer() {
    return new ScopedContextClient("customer", rest, instance, cache);
  }

  public ScopedContextClient client() {
    return new ScopedContextClient("client", rest, instance, cache);
  }

  /**
   * Unified fetch: context from every scope whose id the request names (conversation, user,
   * customer), merged narrowest first; the narrower scope wins when two say the same thing.
   */
  public ContextResponse fetch(FetchRequest request) {
    return UnifiedFetch.fetch(this, request, false);
  }

  /** As {@link #fetch(FetchRequest)}, adding the client (instance-wide) scope last when {@code includeClient}. */
  public ContextResponse fetch(FetchRequest request, boolean includeClient) {
    return UnifiedFetch.fetch(this, request, includeClient);
  }

  /** Documents and memories: create, status, get, list, update, delete, history. */
  public MemoriesClient memories() {
    return new MemoriesClient(rest, cache);
  }

  /**
   * Forgets a user: every memory, raw message and conversation of theirs, and the bundles this
   * client holds for them. Returns the server's counts.
   */
  public DeletedUser deleteUser(String userId, String customerId) {
    if (!Validation.notBlank(userId)) throw new InvalidInputException("user_id is required");
    String path = "/v1/users/" + java.net.URLEncoder.encode(userId, java.nio.charset.StandardCharsets.UTF_8)
        + (customerId == null ? "" : "?customer_id=" + java.net.URLEncoder.encode(customerId, java.nio.charset.StandardCharsets.UTF_8));
    DeletedUser deleted = DeletedUser.from(rest.send("DELETE", path, null), userId);
    cache.clearUser(userId);
    return deleted;
  }

  public InstanceClient instance() {
    return instance;
  }

  /** The in-process anticipation cache that pushed bundles land in. */
  public AnticipationCache cache() {
    return cache;
  }

  /** Who the key belongs to ({@code GET /api/v1/auth/whoami}), fetched once and remembered. */
  public Identity whoami() {
    return instance.identity();
  }

  public SynapConfig config() {
    return config;
  }

  @Override
  public void close() {
    instance.stopListening();
    telemetry.record(SdkEvent.of("sdk_shutdown"));
    telemetry.close();
    rest.close();
  }

  /** Builds a client; unset values come from {@code SYNAP_*} environment variables, then defaults. */
  public static final class Builder {
    private final Map<String, String> env = System.getenv();
    private String apiKey;
    private String baseUrl;
    private String grpcHost;
    private Integer grpcPort;
    private Boolean grpcUseTls;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private Duration heartbeatTimeout = Duration.ofSeconds(10);
    private int maxReconnectAttempts = 10;
    private int cacheCapacity = 100;
    private Duration cacheTtl = Duration.ofSeconds(1800);
    private Duration cacheMaxAge = Duration.ofSeconds(3600);
    private double cacheMinCoverage = AnticipationCache.DEFAULT_MIN_COVERAGE;
    private int cacheRecentSlots = AnticipationCache.DEFAULT_RECENT_SLOTS;
    private boolean telemetry;

    /** Through {@link Synap#builder()}. */
    private Builder() {}

    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** REST base URL, e.g. {@code http://127.0.0.1:8080}. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder grpcHost(String host) {
      this.grpcHost = host;
      return this;
    }

    public Builder grpcPort(int port) {
      this.grpcPort = port;
      return this;
    }

    public Builder grpcUseTls(boolean tls) {
      this.grpcUseTls = tls;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /** Stream ping interval (30 s) and how long past it a missing pong means a dead stream (10 s). */
    public Builder heartbeat(Duration interval, Duration timeout) {
      this.heartbeatInterval = interval;
      this.heartbeatTimeout = timeout;
      return this;
    }

    public Builder maxReconnectAttempts(int n) {
      this.maxReconnectAttempts = n;
      return this;
    }

    /** Anticipation cache bounds: bundles kept, sliding TTL, absolute maximum age. */
    public Builder cache(int capacity, Duration ttl, Duration maxAge) {
      this.cacheCapacity = capacity;
      this.cacheTtl = ttl;
      this.cacheMaxAge = maxAge;
      return this;
    }

    /**
     * How much of a fetch's query (share of its idf weight, 0 to 1; default 0.3) the cached items
     * must cover for the cache to answer; below it the fetch goes to the server. Higher trades
     * cache hits for answers closer to the server's: measured on LoCoMo replays in the README.
     */
    public Builder cacheMinCoverage(double share) {
      if (!(share >= 0 && share <= 1)) throw new InvalidInputException("cacheMinCoverage must be between 0 and 1, got " + share);
      this.cacheMinCoverage = share;
      return this;
    }

    /**
     * How many of a ranked cached answer's items are the newest cached memories rather than the
     * best matches (default 0, at most 100): the next turn often needs what was just said, in words
     * the query does not repeat. Three slots were measured on LoCoMo replays and not kept (see the
     * benchmark results).
     */
    public Builder cacheRecentSlots(int slots) {
      if (slots < 0 || slots > 100) throw new InvalidInputException("cacheRecentSlots must be between 0 and 100, got " + slots);
      this.cacheRecentSlots = slots;
      return this;
    }

    /**
     * Sends usage telemetry (event types, scopes, timings, error codes; never content) to the
     * server's {@code /v1/telemetry/batch}. Off by default.
     */
    public Builder telemetry(boolean on) {
      this.telemetry = on;
      return this;
    }

    public Synap build() {
      String key = apiKey != null ? apiKey : env.get("SYNAP_API_KEY");
      if (key == null || key.isBlank()) throw new AuthenticationException("no API key: pass apiKey(...) or set SYNAP_API_KEY");
      String url = Objects.requireNonNullElse(baseUrl, env.getOrDefault("SYNAP_BASE_URL", "http://127.0.0.1:8080"));
      String host = Objects.requireNonNullElse(grpcHost, env.getOrDefault("SYNAP_GRPC_HOST", "127.0.0.1"));
      int port = grpcPort != null ? grpcPort : Integer.parseInt(env.getOrDefault("SYNAP_GRPC_PORT", "50051"));
      boolean tls = grpcUseTls != null ? grpcUseTls : truthy(env.get("SYNAP_GRPC_USE_TLS"));
      return new Synap(new SynapConfig(key, url.replaceAll("/+$", ""), host, port, tls, connectTimeout, requestTimeout,
          heartbeatInterval, heartbeatTimeout, maxReconnectAttempts, cacheCapacity, cacheTtl, cacheMaxAge, cacheMinCoverage, cacheRecentSlots, telemetry));
    }

    private static boolean truthy(String v) {
      return v != null && switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "1", "true", "yes", "on" -> true;
        default -> false;
      };
    }
  }
}
