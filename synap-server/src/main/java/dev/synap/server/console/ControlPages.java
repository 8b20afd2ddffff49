package dev.synap.server.console;

import static dev.synap.server.console.Html.e;
import static dev.synap.server.console.Html.link;
import static dev.synap.server.console.Html.time;
import static dev.synap.server.console.Html.u;

import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.NotFoundException;
import dev.synap.core.control.ControlPlane;
import dev.synap.core.control.InstanceInfo;
import dev.synap.core.control.Permission;
import dev.synap.core.store.WebhookStore;
import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.Tenancy;
import dev.synap.server.webhook.WebhookPublisher;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's pages for the control plane (admin sessions only): archive and delete an instance,
 * create and rotate keys, webhooks with their delivery log (memory configuration: {@link ConfigPages}).
 * Each change makes the call the admin API makes ({@code ControlPlane}, {@code WebhookPublisher}),
 * so the audit row is written the same way.
 */
final class ControlPages {
  private static final String REASON = "from the console";
  private final MemoryEngine engine;
  private final ControlPlane control;
  private final WebhookPublisher webhooks;

  ControlPages(MemoryEngine engine, WebhookPublisher webhooks) {
    this.engine = engine;
    this.control = engine.control();
    this.webhooks = webhooks;
  }

  /** The admin's part of an instance page: status, links to the control pages, archive, a new key. */
  String instanceSection(String instanceId, ConsoleSessions.Session s) {
    InstanceInfo i = control.instance(instanceId);
    String base = "/console/instances/" + u(instanceId);
    StringBuilder b = new StringBuilder("<h2>Control plane</h2><dl><dt>Status</dt><dd>").append(e(i.status()));
    if (i.archivedAt() != null) b.append(" since ").append(time(i.archivedAt()));
    b.append("</dd></dl><p>").append(link(base + "/memory-config", "Memory configuration")).append(" · ")
        .append(link(base + "/webhooks", "Webhooks")).append("</p>");
    if (!InstanceInfo.ARCHIVED.equals(i.status())) {
      b.append("<p>Archiving keeps everything readable and refuses every write.</p>")
          .append(Html.form(base + "/archive", s, "", "Archive instance", true));
    } else {
      b.append("<p>").append(link(base + "/delete", "Delete instance " + instanceId + "…")).append("</p>");
    }
    StringBuilder fields = new StringBuilder("<label for=\"key-label\">Label</label><input id=\"key-label\" name=\"label\" type=\"text\" maxlength=\"100\">"
        + "<fieldset><legend>Permissions</legend>");
    for (Permission p : Permission.values()) {
      String id = "perm-" + p.wireName().replace(':', '-');
      fields.append("<input type=\"checkbox\" id=\"").append(id).append("\" name=\"permission\" value=\"").append(e(p.wireName()))
          .append("\" checked><label for=\"").append(id).append("\" class=\"radio\">").append(e(p.wireName())).append("</label>");
    }
    fields.append("</fieldset><label for=\"key-days\">Expires after (days, empty: never)</label>"
        + "<input id=\"key-days\" name=\"expires_in_days\" type=\"number\" min=\"1\">");
    b.append("<h2>New API key</h2>").append(Html.form(base + "/keys", s, fields.toString(), "Create key", false));
    return b.toString();
  }

  String archive(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    control.archive(s.actor(), id, REASON);
    return "/console/instances/" + u(id) + "?done=" + u("Instance archived (read-only).");
  }

  /** Answers with a page, not a redirect: the secret is shown once and must never travel in a URL. */
  String createKey(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    List<String> names = ctx.formParams("permission");
    if (names.isEmpty()) throw new InvalidInputException("Choose at least one permission.");
    Set<Permission> permissions = EnumSet.copyOf(Permission.parse(names));
    String days = ctx.formParam("expires_in_days");
    Instant expires = null;
    if (days != null && !days.isBlank()) {
      int n;
      try {
        n = Integer.parseInt(days.strip());
      } catch (NumberFormatException ex) {
        throw new InvalidInputException("Expiry must be a whole number of days.");
      }
      if (n < 1) throw new InvalidInputException("Expiry must be 1 day or more.");
      expires = Instant.now().plus(Duration.ofDays(n));
    }
    String label = ctx.formParam("label");
    Tenancy.NewKey key = control.createKey(s.actor(), id, label == null || label.isBlank() ? "console" : label.strip(), permissions, expires);
    return Html.page("New key for " + id, s, "<p role=\"status\">Copy this key now: it is shown only once.</p>"
        + "<label for=\"new-key\">API key " + e(key.info().prefix()) + "</label><input id=\"new-key\" type=\"text\" readonly value=\""
        + e(key.secret()) + "\"><p>Permissions: " + e(String.join(", ", key.info().permissions().stream().map(Permission::wireName).sorted().toList()))
        + "</p><p>" + link("/console/instances/" + u(id), "Back to the instance") + "</p>");
  }

  /**
   * Rotation as {@code POST /dashboard/keys/{key_id}/rotate}: a successor with the same label,
   * permissions and expiry, its secret shown once on this answer page; the old key keeps working
   * for the grace period chosen (hours; 0 ends it now).
   */
  String rotateKey(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    ApiKeyInfo old = control.keys(id).stream().filter(k -> k.keyId().equals(ctx.pathParam("key"))).findFirst()
        .orElseThrow(() -> new NotFoundException("no such key in this instance"));
    String hours = ctx.formParam("grace_hours");
    Duration grace;
    try {
      grace = hours == null || hours.isBlank() ? ControlPlane.DEFAULT_ROTATION_GRACE
          : Duration.ofSeconds(Math.round(Double.parseDouble(hours.strip()) * 3600));
    } catch (NumberFormatException ex) {
      throw new InvalidInputException("The grace period is a number of hours.");
    }
    if (grace.isNegative()) throw new InvalidInputException("The grace period must be 0 hours or more.");
    ControlPlane.Rotation r = control.rotateKey(s.actor(), old.keyId(), grace, REASON);
    Tenancy.NewKey key = r.successor();
    return Html.page("Rotated key " + old.prefix(), s, "<p role=\"status\">Copy the new key now: it is shown only once.</p>"
        + "<label for=\"new-key\">API key " + e(key.info().prefix()) + "</label><input id=\"new-key\" type=\"text\" readonly value=\""
        + e(key.secret()) + "\"><p id=\"grace\">The old key " + e(old.prefix()) + " keeps working until " + time(r.previousExpiresAt())
        + (grace.isZero() ? " (it has stopped)." : " (a grace period of " + e(hoursText(grace)) + ")") + "; roll the new key out before then.</p>"
        + "<p>Label and permissions are the old key's: " + e(key.info().label()) + "; "
        + e(String.join(", ", key.info().permissions().stream().map(Permission::wireName).sorted().toList())) + ".</p><p>"
        + link("/console/instances/" + u(id), "Back to the instance") + "</p>");
  }

  private static String hoursText(Duration d) {
    long minutes = d.toMinutes();
    return minutes % 60 == 0 ? (minutes / 60) + " hours" : minutes + " minutes";
  }

  /** The typed confirmation before an archived instance is deleted for good (as for a user). */
  String confirmDelete(Context ctx, ConsoleSessions.Session s) {
    InstanceInfo i = control.instance(ctx.pathParam("instance"));
    String back = "/console/instances/" + u(i.instanceId());
    if (!i.archived()) {
      return Html.page("Delete instance " + i.instanceId(), s, "<p class=\"error\" role=\"alert\">Only an archived instance can be deleted: "
          + "archive it first (everything stays readable, writes are refused).</p><p>" + link(back, "Back to the instance") + "</p>");
    }
    return Html.page("Delete instance " + i.instanceId(), s, "<p class=\"error\">This removes every key, message, memory with its history, "
        + "entity, compaction, configuration version and webhook of " + e(i.name()) + " (" + e(i.instanceId()) + "), and its search index, "
        + "for good. The audit log keeps the record. Type the instance id to confirm.</p>"
        + Html.form(back + "/delete", s, "<label for=\"confirm\">Instance id</label><input id=\"confirm\" name=\"confirm\" type=\"text\" "
            + "autocomplete=\"off\" required> ", "Delete instance for good", true)
        + "<p>" + link(back, "Back to the instance") + "</p>");
  }

  String delete(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    if (!id.equals(ctx.formParam("confirm"))) throw new InvalidInputException("The typed instance id did not match; nothing was deleted.");
    control.delete(s.actor(), id, REASON);
    return "/console/instances?done=" + u("Instance " + id + " deleted.");
  }

  String webhooks(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    String base = "/console/instances/" + u(id) + "/webhooks";
    StringBuilder b = new StringBuilder();
    if (ctx.queryParam("done") != null) b.append("<p class=\"note\" role=\"status\">").append(e(ctx.queryParam("done"))).append("</p>");
    List<WebhookStore.Webhook> hooks = engine.store().webhooks().list(id);
    if (hooks.isEmpty()) b.append("<p>No webhooks.</p>");
    for (WebhookStore.Webhook w : hooks) {
      b.append("<h2>").append(e(w.url())).append("</h2><p>Events: ").append(e(String.join(", ", w.eventTypes()))).append(" · created ")
          .append(time(w.createdAt())).append("</p>")
          .append(Html.form(base + "/" + u(w.webhookId()) + "/test", s, "", "Send a test event to " + w.url(), false))
          .append(Html.form(base + "/" + u(w.webhookId()) + "/delete", s, "", "Delete webhook " + w.url(), true))
          .append("<table><caption>Last deliveries to ").append(e(w.url())).append("</caption><thead><tr><th scope=\"col\">Event</th>")
          .append("<th scope=\"col\">Status</th><th scope=\"col\">Attempts</th><th scope=\"col\">Last answer</th><th scope=\"col\">Created</th>")
          .append("<th scope=\"col\">Delivered</th></tr></thead><tbody>");
      for (WebhookStore.Delivery d : engine.store().webhooks().deliveries(w.webhookId(), 20)) {
        b.append("<tr><td>").append(e(d.eventType())).append(d.test() ? " (test)" : "").append("</td><td>").append(e(d.status()))
            .append("</td><td>").append(d.attempts()).append("</td><td>")
            .append(d.lastStatusCode() != null ? "HTTP " + d.lastStatusCode() : e(d.lastError())).append("</td><td>")
            .append(time(d.createdAt())).append("</td><td>").append(time(d.deliveredAt())).append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    String types = String.join(", ", WebhookPublisher.EVENT_TYPES.stream().sorted().toList());
    b.append("<h2>New webhook</h2>").append(Html.form(base, s, "<label for=\"hook-url\">URL</label><input id=\"hook-url\" name=\"url\" type=\"url\" required>"
        + "<label for=\"hook-events\">Event types (comma-separated: " + e(types) + ")</label>"
        + "<input id=\"hook-events\" name=\"event_types\" type=\"text\" required>", "Register webhook", false));
    return Html.page("Webhooks of " + id, s, b.toString());
  }

  /** Answers with a page: the signing secret is shown once. */
  String registerWebhook(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    String events = ctx.formParam("event_types");
    List<String> types = events == null ? List.of() : Arrays.stream(events.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    WebhookPublisher.Registered r = webhooks.register(id, ctx.formParam("url"), types, null);
    control.audit(s.actor(), id, "webhook.create", r.webhook().webhookId(), Map.of("url", r.webhook().url(), "event_types", r.webhook().eventTypes()));
    return Html.page("New webhook for " + id, s, "<p role=\"status\">Copy the signing secret now: it is shown only once.</p>"
        + "<label for=\"hook-secret\">Signing secret</label><input id=\"hook-secret\" type=\"text\" readonly value=\"" + e(r.secret()) + "\">"
        + "<p>" + link("/console/instances/" + u(id) + "/webhooks", "Back to the webhooks") + "</p>");
  }

  String testWebhook(Context ctx, ConsoleSessions.Session s) {
    WebhookStore.Webhook w = hook(ctx);
    webhooks.test(w.webhookId());
    return "/console/instances/" + u(w.instanceId()) + "/webhooks?done=" + u("Test event queued for " + w.url() + ".");
  }

  String deleteWebhook(Context ctx, ConsoleSessions.Session s) {
    WebhookStore.Webhook w = hook(ctx);
    webhooks.delete(w.webhookId());
    control.audit(s.actor(), w.instanceId(), "webhook.delete", w.webhookId(), Map.of());
    return "/console/instances/" + u(w.instanceId()) + "/webhooks?done=" + u("Webhook " + w.url() + " deleted.");
  }

  /** The webhook named in the path, only within the instance in the path. */
  private WebhookStore.Webhook hook(Context ctx) {
    String id = ctx.pathParam("webhook");
    return engine.store().webhooks().get(id).filter(w -> w.instanceId().equals(ctx.pathParam("instance")))
        .orElseThrow(() -> new NotFoundException("no webhook " + id + " in this instance"));
  }
}
