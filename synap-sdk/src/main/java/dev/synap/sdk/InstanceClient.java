package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.proto.v1.ContextUsedEvent;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import java.util.List;
import java.util.UUID;

/** The instance-wide stream: {@link #listen}, {@link #sendMessage}, {@link #stopListening}. */
public final class InstanceClient {
  private final SynapConfig config;
  private final RestTransport rest;
  private final AnticipationCache cache;
  private final CompactionUpdates compactionUpdates;
  private final TelemetrySender telemetry;
  private volatile Identity identity;
  private volatile StreamConnection stream;

  InstanceClient(SynapConfig config, RestTransport rest, AnticipationCache cache, CompactionUpdates compactionUpdates, TelemetrySender telemetry) {
    this.config = config;
    this.rest = rest;
    this.cache = cache;
    this.compactionUpdates = compactionUpdates;
    this.telemetry = telemetry;
  }

  TelemetrySender telemetry() {
    return telemetry;
  }

  /** whoami, once: the ids the headers carry and the instance's B2B/B2C mode. */
  Identity identity() {
    Identity id = identity;
    if (id == null) {
      synchronized (this) {
        if (identity == null) {
          JsonNode n = rest.get("/api/v1/auth/whoami");
          identity = new Identity(n.path("client_id").asText(""), n.path("instance_id").asText(""), n.path("relationship_mode").asText("b2c"));
          Validation.instanceId(identity.instanceId());
          rest.identify(identity.clientId(), identity.instanceId());
          telemetry.identify(identity);
        }
        id = identity;
      }
    }
    return id;
  }

  /**
   * Opens the Listen stream and returns once the server has answered. Pushed bundles go into the
   * anticipation cache and to {@code callbacks.onContext()}.
   *
   * @throws ListeningAlreadyActiveException if a stream is already open
   * @throws AuthenticationException if the key is refused
   * @throws NetworkTimeoutException if the server does not answer within the connect timeout
   */
  public synchronized void listen(ListenCallbacks callbacks) {
    if (isListening()) throw new ListeningAlreadyActiveException();
    StreamConnection s = new StreamConnection(config, identity(), cache, compactionUpdates, callbacks == null ? ListenCallbacks.none() : callbacks, telemetry);
    try {
      s.open();
    } catch (SynapException e) {
      telemetry.record(SdkEvent.of("error").failed(e.getClass().getSimpleName()));
      throw e;
    }
    telemetry.record(SdkEvent.of("listen_start"));
    stream = s;
  }

  /** True while a stream is open or being restored. */
  public boolean isListening() {
    StreamConnection s = stream;
    return s != null && (s.state() == StreamConnection.State.CONNECTED || s.state() == StreamConnection.State.RECONNECTING);
  }

  /**
   * Publishes an event. Returns once it is written to the stream or held for sending (while the
   * stream is being restored, or the server asked to slow down); the SDK keeps it until the server
   * confirms it, resends it when the server refuses it for now, and reports it through
   * {@link ListenCallbacks#onEventRejected()} if it is refused for good. Blocks while 1,000 events
   * are held; bundles arrive through the listen callbacks and the cache.
   *
   * @throws RateLimitException when 1,000 events are held and the server confirmed none of them
   *     for heartbeat interval + timeout (40 s by default, at least 30 s); this event was not taken
   * @throws ListeningNotActiveException when no stream is open
   * @throws InvalidConversationIdException when the conversation id is not a UUID
   * @throws InvalidInputException when a B2B instance gets a user id without a customer id
   */
  public void sendMessage(SendMessage m) {
    StreamConnection s = stream;
    if (s == null || !isListening()) throw new ListeningNotActiveException();
    Validation.conversationId(m.conversationId());
    Validation.scopeIds(identity(), m.userId(), m.customerId());
    ConversationEvent.Builder e = ConversationEvent.newBuilder()
        .setEventType(m.eventType() == null || m.eventType().isBlank() ? "user_message" : m.eventType())
        .setRole(m.role() == null || m.role().isBlank() ? "user" : m.role())
        .setContent(m.content())
        .putAllMetadata(m.metadata())
        .setTimestampMs(m.timestamp() == null ? System.currentTimeMillis() : m.timestamp().toEpochMilli())
        .addAllSearchQueries(m.searchQueries())
        .addAllContextTypes(m.contextTypes());
    // The caller's event_id names the event in delivery reports; otherwise the SDK makes one.
    String eventId = m.metadata().get("event_id");
    if (eventId == null || eventId.isBlank()) e.putMetadata("event_id", UUID.randomUUID().toString());
    if (m.conversationId() != null) e.setConversationId(m.conversationId());
    if (m.userId() != null) e.setUserId(m.userId());
    if (m.customerId() != null) e.setCustomerId(m.customerId());
    if (m.sessionId() != null) e.setSessionId(m.sessionId());
    if (m.toolName() != null) e.setToolName(m.toolName());
    if (m.toolArgsJson() != null) e.setToolArgsJson(m.toolArgsJson());
    s.send(e.build());
  }

  /**
   * Sends a {@code SessionControl} frame ({@code action} {@code start} or {@code end}), which the
   * official client defines but never sends: on {@code start} the server pushes the user's
   * {@code user_summary} bundle, on {@code end} it stores what is pending and compacts the
   * conversation when it has new turns. The same as the {@code session_start} / {@code session_end}
   * events ({@link SendMessage#sessionStart()}), without delivery confirmation.
   *
   * @throws ListeningNotActiveException when no stream is open
   */
  public void sessionControl(String action, String sessionId, String conversationId, String userId, String customerId) {
    StreamConnection s = stream;
    if (s == null || !isListening()) throw new ListeningNotActiveException();
    if (!"start".equals(action) && !"end".equals(action)) throw new InvalidInputException("action must be 'start' or 'end'");
    Validation.conversationId(conversationId);
    Validation.scopeIds(identity(), userId, customerId);
    dev.synap.proto.v1.SessionControl.Builder c = dev.synap.proto.v1.SessionControl.newBuilder().setAction(action);
    if (sessionId != null) c.setSessionId(sessionId);
    if (conversationId != null) c.setConversationId(conversationId);
    if (userId != null) c.setUserId(userId);
    if (customerId != null) c.setCustomerId(customerId);
    s.sendFeedback(StreamEvent.newBuilder().setSessionControl(c).build());
  }

  /** Closes the stream; safe to call when not listening. */
  public synchronized void stopListening() {
    StreamConnection s = stream;
    stream = null;
    if (s != null) s.close();
  }

  /**
   * Delivery counters of the current stream.
   *
   * @param confirmed events the server confirmed (stored, or not meant to be stored such as {@code context_fetch})
   * @param unconfirmed events written and not confirmed yet (resent after a reconnect)
   * @param queued events held but not written yet: stream down, paused after a throttle, or window full
   * @param dropped events given up on (refused {@value StreamConnection#MAX_REFUSALS} times, held more than
   *     five minutes, or unconfirmed when listening stopped); each was reported through {@code onEventRejected}
   * @param resent resends of events the server refused for now (rate limit, full queue)
   * @param rejected events the server refused as invalid; each was reported through {@code onEventRejected}
   */
  public record Delivery(long confirmed, int unconfirmed, int queued, long dropped, long resent, long rejected) {}

  public Delivery delivery() {
    StreamConnection s = stream;
    return s == null ? new Delivery(0, 0, 0, 0, 0, 0)
        : new Delivery(s.confirmedEvents(), s.unconfirmedEvents(), s.queuedEvents(), s.droppedEvents(), s.resentEvents(), s.rejectedEvents());
  }

  /** Waits until every event sent so far is confirmed by the server or reported as rejected; false on timeout. */
  public boolean flush(java.time.Duration timeout) throws InterruptedException {
    StreamConnection s = stream;
    return s == null || s.flush(timeout);
  }

  /** Events held but not written yet (bounded: 1,000 events held in all, 5 minutes each). */
  public int queuedEvents() {
    StreamConnection s = stream;
    return s == null ? 0 : s.queuedEvents();
  }

  /**
   * What the official client emits after each scope fetch (contract 7.8), fire and forget and only
   * while the stream is up: a {@code context_fetch} event (role {@code system}, the scope's ids,
   * the queries and types, metadata {@code source}, {@code items_count}, {@code mode}, {@code scope})
   * and a {@code context_assembled} event naming what the caller got. Unlike the official client
   * (quirk 6) a cache answer is reported as {@code anticipation_cache} with {@code cache_hit} set,
   * as the contract's comment intends.
   */
  void reportFetch(String scope, FetchRequest r, ContextResponse response, long millis) {
    StreamConnection s = stream;
    if (s == null) return;
    boolean cached = response.fromCache();
    ConversationEvent.Builder fetch = ConversationEvent.newBuilder().setEventType("context_fetch").setRole("system")
        .setTimestampMs(System.currentTimeMillis()).addAllSearchQueries(r.searchQuery()).addAllContextTypes(r.types())
        .putMetadata("source", cached ? "anticipation" : "cloud")
        .putMetadata("items_count", Integer.toString(response.facts().size() + response.preferences().size() + response.episodes().size()
            + response.emotions().size()))
        .putMetadata("mode", r.mode()).putMetadata("scope", scope);
    if (r.conversationId() != null) fetch.setConversationId(r.conversationId());
    if (("user".equals(scope) || "conversation".equals(scope)) && r.userId() != null) fetch.setUserId(r.userId());
    if (("user".equals(scope) || "customer".equals(scope)) && r.customerId() != null) fetch.setCustomerId(r.customerId());
    var assembled = dev.synap.proto.v1.ContextAssembledEvent.newBuilder()
        .setCorrelationId(response.correlationId() != null ? response.correlationId() : "syn_local_" + UUID.randomUUID())
        .addAllFinalItemIds(response.all().stream().map(ContextItem::id).filter(id -> id != null && !id.isEmpty()).toList())
        .setFinalTotalTokens(response.tokensUsed()).setAssemblySource(cached ? "anticipation_cache" : "cloud").setCacheHit(cached)
        .setAssemblyDurationMs((int) Math.min(Integer.MAX_VALUE, millis)).setTimestampMs(System.currentTimeMillis())
        .setSdkVersion(TelemetrySender.SDK_VERSION);
    if (r.conversationId() != null) assembled.setConversationId(r.conversationId());
    if (r.userId() != null) assembled.setUserId(r.userId());
    if (r.customerId() != null) assembled.setCustomerId(r.customerId());
    response.conversationContext().ifPresent(c -> {
      if (c.compactionId() != null) assembled.setCompactionId(c.compactionId());
      if (c.compactedAt() != null) assembled.setCompactionEndTimestamp(c.compactedAt());
      assembled.setRecentTurnCount(c.recentTurns().size());
    });
    StreamEvent fetchEvent = StreamEvent.newBuilder().setConversationEvent(fetch).build();
    StreamEvent assembledEvent = StreamEvent.newBuilder().setContextAssembled(assembled).build();
    Thread.ofVirtual().name("synap-context-fetch").start(() -> {
      s.sendFeedback(fetchEvent);
      s.sendFeedback(assembledEvent);
    });
  }

  void reportCacheUse(String scope, String conversationId, String userId, String customerId, AnticipationCache.Hit hit) {
    StreamConnection s = stream;
    if (s == null) return;
    ContextUsedEvent.Builder used = ContextUsedEvent.newBuilder()
        .setBundleId("anticipation_merged_" + System.nanoTime() / 1_000_000_000L)
        .setScope(scope)
        .setTimestampMs(System.currentTimeMillis())
        .addAllServedItemIds(hit.items().stream().map(ContextItem::id).distinct().toList())
        .addAllSourceBundleIds(hit.bundleIds().stream().sorted().toList());
    if (conversationId != null) used.setConversationId(conversationId);
    if (userId != null) used.setUserId(userId);
    if (customerId != null) used.setCustomerId(customerId);
    // Fire and forget, off the caller's thread: a cache answer must not wait on a stream write.
    StreamEvent event = StreamEvent.newBuilder().setContextUsed(used).build();
    Thread.ofVirtual().name("synap-context-used").start(() -> s.sendFeedback(event));
  }

}
