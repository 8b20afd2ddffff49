package dev.synap.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.NotFoundException;
import dev.synap.core.control.ControlPlane;
import dev.synap.core.store.WebhookStore;
import dev.synap.server.context.Iso;
import dev.synap.server.webhook.WebhookPublisher;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Webhooks on the admin API: register (the secret is shown once), list, delete, test, delivery log. */
final class WebhookRoutes {
  private final WebhookPublisher webhooks;
  private final WebhookStore store;
  private final ControlPlane control;

  WebhookRoutes(WebhookPublisher webhooks, WebhookStore store, ControlPlane control) {
    this.webhooks = webhooks;
    this.store = store;
    this.control = control;
  }

  void register(RoutesConfig app) {
    app.post("/dashboard/instances/{instance_id}/webhooks", ctx -> {
      String instanceId = control.instance(ctx.pathParam("instance_id")).instanceId();
      JsonNode b = AdminRoutes.body(ctx);
      WebhookPublisher.Registered r = webhooks.register(instanceId, Bodies.string(b, "url"), Bodies.strings(b, "event_types"),
          Bodies.string(b, "description"));
      control.audit(AdminRoutes.actor(ctx), instanceId, "webhook.create", r.webhook().webhookId(),
          Map.of("url", r.webhook().url(), "event_types", r.webhook().eventTypes()));
      Map<String, Object> out = json(r.webhook());
      out.put("secret", r.secret());
      ctx.json(out);
    });
    app.get("/dashboard/instances/{instance_id}/webhooks", ctx -> ctx.json(Map.of("webhooks",
        store.list(control.instance(ctx.pathParam("instance_id")).instanceId()).stream().map(WebhookRoutes::json).toList())));
    app.delete("/dashboard/webhooks/{webhook_id}", ctx -> {
      WebhookStore.Webhook w = hook(ctx.pathParam("webhook_id"));
      webhooks.delete(w.webhookId());
      control.audit(AdminRoutes.actor(ctx), w.instanceId(), "webhook.delete", w.webhookId(), Map.of());
      ctx.json(Map.of("webhook_id", w.webhookId(), "deleted", true));
    });
    app.post("/dashboard/webhooks/{webhook_id}/test", ctx -> {
      String deliveryId = webhooks.test(hook(ctx.pathParam("webhook_id")).webhookId());
      ctx.json(delivery(store.delivery(deliveryId).orElseThrow()));
    });
    app.get("/dashboard/webhooks/{webhook_id}/deliveries", ctx -> {
      int limit = AdminRoutes.intParam(ctx, "limit", 50);
      if (limit < 1 || limit > 500) throw new dev.synap.core.InvalidInputException("limit must be 1..500");
      ctx.json(Map.of("deliveries", store.deliveries(hook(ctx.pathParam("webhook_id")).webhookId(), limit).stream()
          .map(WebhookRoutes::delivery).toList()));
    });
  }

  private WebhookStore.Webhook hook(String id) {
    return store.get(id).orElseThrow(() -> new NotFoundException("no webhook " + id));
  }

  static Map<String, Object> json(WebhookStore.Webhook w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("webhook_id", w.webhookId());
    m.put("instance_id", w.instanceId());
    m.put("url", w.url());
    m.put("event_types", w.eventTypes());
    m.put("description", w.description());
    m.put("created_at", Iso.of(w.createdAt()));
    return m;
  }

  static Map<String, Object> delivery(WebhookStore.Delivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("delivery_id", d.deliveryId());
    m.put("webhook_id", d.webhookId());
    m.put("event_type", d.eventType());
    m.put("status", d.status());
    m.put("attempts", d.attempts());
    m.put("last_status_code", d.lastStatusCode());
    m.put("last_error", d.lastError());
    m.put("next_attempt_at", "delivered".equals(d.status()) || "failed".equals(d.status()) ? null : Iso.of(d.nextAttemptAt()));
    m.put("created_at", Iso.of(d.createdAt()));
    m.put("delivered_at", Iso.of(d.deliveredAt()));
    m.put("test", d.test());
    return m;
  }
}
