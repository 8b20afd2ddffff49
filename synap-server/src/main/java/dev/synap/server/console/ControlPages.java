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
import dev.synap.core.control.MemoryConfigs;
import dev.synap.core.control.Permission;
import dev.synap.core.store.WebhookStore;
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
 * The console's pages for the control plane (admin sessions only): archive an instance, create a
 * key with chosen permissions, memory configuration versions with apply and rollback, webhooks with
 * their delivery log. Each change makes the call the admin API makes ({@code ControlPlane},
 * {@code MemoryConfigs}, {@code WebhookPublisher}), so the audit row is written the same way.
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

  String configs(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    String base = "/console/instances/" + u(id) + "/memory-config/";
    StringBuilder b = new StringBuilder();
    if (ctx.queryParam("done") != null) b.append("<p class=\"note\" role=\"status\">").append(e(ctx.queryParam("done"))).append("</p>");
    List<MemoryConfigs.Version> versions = engine.memoryConfigs().versions(id);
    if (versions.isEmpty()) b.append("<p>No configuration yet: the defaults apply. Drafts are made through the admin API.</p>");
    b.append("<table><caption>Configuration versions</caption><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Status</th>"
        + "<th scope=\"col\">Source</th><th scope=\"col\">Created</th><th scope=\"col\">By</th><th scope=\"col\">Reason</th>"
        + "<th scope=\"col\">Activated</th><th scope=\"col\">Configuration</th><th scope=\"col\">Action</th></tr></thead><tbody>");
    for (MemoryConfigs.Version v : versions) {
      var st = v.stored();
      b.append("<tr><td>").append(st.version()).append("</td><td>").append(e(st.status())).append("</td><td>").append(e(st.source()))
          .append("</td><td>").append(time(st.createdAt())).append("</td><td>").append(e(st.createdBy())).append("</td><td>").append(e(st.reason()))
          .append("</td><td>").append(time(st.activatedAt())).append("</td><td><details><summary>Version ").append(st.version())
          .append("</summary><pre>").append(e(v.config().toJson().toPrettyString())).append("</pre></details></td><td>");
      if (MemoryConfigs.PENDING.equals(st.status())) b.append(Html.form(base + st.version() + "/apply", s, "", "Apply version " + st.version(), false));
      else if (!MemoryConfigs.ACTIVE.equals(st.status()) && st.activatedAt() != null) {
        b.append(Html.form(base + st.version() + "/rollback", s, "", "Roll back to version " + st.version(), false));
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table>");
    return Html.page("Memory configuration of " + id, s, b.toString());
  }

  String apply(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    int v = version(ctx);
    engine.memoryConfigs().apply(s.actor(), id, v, "immediate", REASON);
    return "/console/instances/" + u(id) + "/memory-config?done=" + u("Version " + v + " is active.");
  }

  String rollback(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    int v = version(ctx);
    engine.memoryConfigs().rollback(s.actor(), id, v, REASON);
    return "/console/instances/" + u(id) + "/memory-config?done=" + u("Rolled back to version " + v + ".");
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

  private static int version(Context ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("version"));
    } catch (NumberFormatException ex) {
      throw new InvalidInputException("version must be an integer");
    }
  }
}
