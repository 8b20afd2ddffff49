package dev.synap.server.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.MemoryWrites;
import dev.synap.core.NotFoundException;
import dev.synap.core.compact.Compaction;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.store.MemoryChanges;
import dev.synap.core.store.WebhookStore;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers webhooks and turns engine events into stored deliveries for the webhooks subscribed
 * to them. Payloads carry ids and counts, never memory or message text: a receiver reads content
 * through the API with its own key. Subscriptions are cached per instance, so an event nobody
 * subscribed to costs a map lookup.
 */
public final class WebhookPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookPublisher.class);
  /** The event types a webhook may subscribe to (README, "Webhooks"). */
  public static final Set<String> EVENT_TYPES = Set.of("ingestion.completed", "ingestion.failed", "compaction.completed", "memory.superseded",
      "memory.retracted", "memory.deleted", "user.deleted");
  public static final String TEST_EVENT = "webhook.test";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebhookStore store;
  private final WebhookDispatcher dispatcher;
  private final Clock clock;
  private final ConcurrentHashMap<String, List<WebhookStore.Webhook>> byInstance = new ConcurrentHashMap<>();

  public WebhookPublisher(WebhookStore store, WebhookDispatcher dispatcher, Clock clock) {
    this.store = store;
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  /** Subscribes to the engine's events. */
  public void listen(MemoryEngine engine) {
    engine.ingest().onProcessed(this::processed);
    engine.ingest().onFailed(this::failed);
    engine.ingest().onStatusChanged(this::statusChanged);
    engine.writes().onChange(this::changed);
    engine.compactions().onCompleted(this::compacted);
    engine.onUserDeleted((instanceId, userId) -> publish(instanceId, "user.deleted", data(d -> d.put("user_id", userId))));
  }

  // ---- registry

  /** A new webhook and its signing secret (shown once). */
  public record Registered(WebhookStore.Webhook webhook, String secret) {}

  public Registered register(String instanceId, String url, List<String> eventTypes, String description) {
    checkUrl(url);
    if (eventTypes.isEmpty()) throw new InvalidInputException("event_types must name at least one event type");
    for (String t : eventTypes) {
      if (!EVENT_TYPES.contains(t)) throw new InvalidInputException("unknown event type '" + t + "'; known: " + new java.util.TreeSet<>(EVENT_TYPES));
    }
    String secret = dev.synap.core.control.WebhookSecrets.generate();
    WebhookStore.Webhook w = store.add(instanceId, url, List.copyOf(new java.util.LinkedHashSet<>(eventTypes)), secret, description);
    byInstance.remove(instanceId);
    return new Registered(w, secret);
  }

  public boolean delete(String webhookId) {
    var w = store.get(webhookId);
    boolean deleted = store.delete(webhookId);
    w.ifPresent(x -> byInstance.remove(x.instanceId()));
    return deleted;
  }

  /** Test mode: one sample event to this webhook alone; returns its delivery id. */
  public String test(String webhookId) {
    WebhookStore.Webhook w = store.get(webhookId).orElseThrow(() -> new NotFoundException("no webhook " + webhookId));
    return enqueue(w, TEST_EVENT, data(d -> d.put("message", "This is a test event from Synap.")), true);
  }

  /** HTTPS anywhere; plain HTTP only to a loopback address (a receiver on the same host, or a test). */
  static void checkUrl(String url) {
    URI u;
    try {
      u = URI.create(url == null ? "" : url);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("url is not a valid URL");
    }
    if (u.getHost() == null) throw new InvalidInputException("url must be an absolute http(s) URL");
    if ("https".equalsIgnoreCase(u.getScheme())) return;
    if ("http".equalsIgnoreCase(u.getScheme())) {
      try {
        if (InetAddress.getByName(u.getHost()).isLoopbackAddress()) return;
      } catch (java.net.UnknownHostException ignored) {
        // falls through to the refusal
      }
    }
    throw new InvalidInputException("url must use https (plain http only to a loopback address)");
  }

  // ---- events

  private void processed(Message m, List<Memory> memories) {
    if (!subscribed(m.instanceId(), "ingestion.completed")) return;
    publish(m.instanceId(), "ingestion.completed", data(d -> {
      message(d, m);
      d.put("memory_count", memories.size());
      memories.forEach(x -> d.withArray("memory_ids").add(x.memoryId()));
    }));
  }

  private void failed(Message m, String reason) {
    publish(m.instanceId(), "ingestion.failed", data(d -> {
      message(d, m);
      d.put("error", reason);
    }));
  }

  private void statusChanged(Message m, List<MemoryChanges.StatusChange> changes) {
    for (MemoryChanges.StatusChange c : changes) {
      String type = "retracted".equals(c.status()) ? "memory.retracted" : "memory.superseded";
      publish(m.instanceId(), type, data(d -> {
        d.put("memory_id", c.memoryId());
        d.put("status", c.status());
        d.put("by_memory_id", c.byMemoryId());
        d.put("valid_until", c.validUntil());
        message(d, m);
      }));
    }
  }

  private void changed(MemoryWrites.Change c) {
    if (c.kind() != MemoryWrites.Kind.DELETED) return;
    Memory m = c.memory();
    publish(m.instanceId(), "memory.deleted", data(d -> {
      d.put("memory_id", m.memoryId());
      d.put("user_id", m.userId());
      d.put("customer_id", m.customerId());
    }));
  }

  private void compacted(Compaction c) {
    publish(c.instanceId(), "compaction.completed", data(d -> {
      d.put("compaction_id", c.compactionId());
      d.put("conversation_id", c.conversationId());
      d.put("status", c.status());
      d.put("version", c.version());
      d.put("trigger", c.trigger());
    }));
  }

  private static void message(ObjectNode d, Message m) {
    d.put("message_id", m.messageId());
    d.put("conversation_id", m.conversationId());
    d.put("user_id", m.userId());
    d.put("customer_id", m.customerId());
    if (m.metadata() != null && m.metadata().get("document_id") != null) d.put("document_id", m.metadata().get("document_id"));
  }

  private boolean subscribed(String instanceId, String type) {
    return hooks(instanceId).stream().anyMatch(w -> w.eventTypes().contains(type));
  }

  private List<WebhookStore.Webhook> hooks(String instanceId) {
    return byInstance.computeIfAbsent(instanceId, store::list);
  }

  /** Stores one delivery per subscribed webhook; never throws into the engine's event path. */
  void publish(String instanceId, String type, ObjectNode data) {
    try {
      for (WebhookStore.Webhook w : hooks(instanceId)) if (w.eventTypes().contains(type)) enqueue(w, type, data, false);
    } catch (RuntimeException e) {
      LOG.warn("webhook event {} for {} not stored: {}", type, instanceId, e.toString());
    }
  }

  private String enqueue(WebhookStore.Webhook w, String type, ObjectNode data, boolean test) {
    Instant now = clock.instant();
    String deliveryId = "dlv_" + UUID.randomUUID().toString().replace("-", "");
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("id", "evt_" + UUID.randomUUID().toString().replace("-", ""));
    envelope.put("delivery_id", deliveryId);
    envelope.put("type", type);
    envelope.put("instance_id", w.instanceId());
    envelope.put("webhook_id", w.webhookId());
    envelope.put("created_at", now.toString());
    envelope.put("test", test);
    envelope.put("data", data);
    String payload;
    try {
      payload = JSON.writeValueAsString(envelope);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    store.enqueue(new WebhookStore.Delivery(deliveryId, w.webhookId(), w.instanceId(), type, payload, "pending", 0, now, null, null, now, null, test));
    dispatcher.wakeUp();
    return deliveryId;
  }

  private static ObjectNode data(Consumer<ObjectNode> fill) {
    ObjectNode d = JSON.createObjectNode();
    fill.accept(d);
    return d;
  }
}
