/**
 * Webhooks: engine events turned into signed HTTP deliveries per instance, stored before the
 * first attempt and retried on a schedule that survives restarts. {@link
 * dev.synap.server.webhook.WebhookPublisher} decides what to send, {@link
 * dev.synap.server.webhook.WebhookDispatcher} sends it.
 */
package dev.synap.server.webhook;
