package dev.synap.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Registered webhooks and the log of their deliveries (with each delivery's retry schedule). */
public interface WebhookStore {
  record Webhook(String webhookId, String instanceId, String url, List<String> eventTypes, String secret, String description, Instant createdAt) {}

  record Delivery(String deliveryId, String webhookId, String instanceId, String eventType, String payload, String status, int attempts,
      Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant createdAt, Instant deliveredAt, boolean test) {}

  Webhook add(String instanceId, String url, List<String> eventTypes, String secret, String description);

  Optional<Webhook> get(String webhookId);

  /** Active webhooks; {@code instanceId} null lists every instance's. */
  List<Webhook> list(String instanceId);

  boolean delete(String webhookId);

  /** Stores a delivery due at once ({@code pending}). */
  void enqueue(Delivery d);

  /**
   * Leases up to {@code limit} deliveries due at {@code now} (pending, or sending with an expired
   * lease after a crash): marks them {@code sending} until {@code leaseUntil} and returns them.
   */
  List<Delivery> claimDue(Instant now, Instant leaseUntil, int limit);

  /** Records one attempt's outcome: delivered, or pending again at {@code nextAttemptAt}, or failed for good (null). */
  void attempted(String deliveryId, boolean delivered, Integer statusCode, String error, Instant nextAttemptAt, Instant at);

  /** Newest first. */
  List<Delivery> deliveries(String webhookId, int limit);

  Optional<Delivery> delivery(String deliveryId);

  /** The earliest time a pending delivery is due (empty when none waits). */
  Optional<Instant> nextDue();
}
