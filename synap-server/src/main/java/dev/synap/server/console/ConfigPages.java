package dev.synap.server.console;

import static dev.synap.server.console.Html.e;
import static dev.synap.server.console.Html.link;
import static dev.synap.server.console.Html.time;
import static dev.synap.server.console.Html.u;

import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.control.ConfigDryRun;
import dev.synap.core.control.InstanceInfo;
import dev.synap.core.control.MemoryConfigs;
import dev.synap.core.control.ReviewFlag;
import dev.synap.core.extract.ExtractedMemory;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/**
 * The console's memory configuration pages (admin sessions only), the review workflow of the admin
 * API in forms: a draft from pasted JSON / YAML or from a use-case brief, its review flags, edit,
 * validation against the active version, a dry run on the last messages, apply (immediate or
 * graceful) and rollback. Each step calls {@link MemoryConfigs} as the admin API does, so the
 * audit rows are the same; validation and the dry run change nothing and are plain pages.
 */
final class ConfigPages {
  private static final String REASON = "from the console";
  private final MemoryEngine engine;
  private final MemoryConfigs configs;
  private final ConfigDryRun dryRun;

  ConfigPages(MemoryEngine engine) {
    this.engine = engine;
    this.configs = engine.memoryConfigs();
    this.dryRun = new ConfigDryRun(engine.store().messages(), engine.extractor());
  }

  private static String base(String instanceId) {
    return "/console/instances/" + u(instanceId) + "/memory-config";
  }

  String list(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    String base = base(id);
    StringBuilder b = new StringBuilder(done(ctx));
    List<MemoryConfigs.Version> versions = configs.versions(id);
    if (versions.isEmpty()) b.append("<p>No configuration yet: the defaults apply.</p>");
    b.append("<table><caption>Configuration versions</caption><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Status</th>"
        + "<th scope=\"col\">Source</th><th scope=\"col\">Created</th><th scope=\"col\">By</th><th scope=\"col\">Reason</th>"
        + "<th scope=\"col\">Activated</th><th scope=\"col\">Action</th></tr></thead><tbody>");
    for (MemoryConfigs.Version v : versions) {
      var st = v.stored();
      b.append("<tr><td>").append(link(base + "/" + st.version(), "Version " + st.version())).append("</td><td>").append(e(st.status()))
          .append("</td><td>").append(e(st.source())).append("</td><td>").append(time(st.createdAt())).append("</td><td>").append(e(st.createdBy()))
          .append("</td><td>").append(e(st.reason())).append("</td><td>").append(time(st.activatedAt())).append("</td><td>")
          .append(actions(base, s, v, false)).append("</td></tr>");
    }
    b.append("</tbody></table>");
    b.append("<h2>New draft from a configuration</h2><p>Paste JSON or YAML; every field is optional and unknown fields are refused "
        + "(README, “Memory configuration, per instance”).</p>")
        .append(Html.form(base + "/drafts", s, "<label for=\"config-text\">Configuration (JSON or YAML)</label>"
            + "<textarea id=\"config-text\" name=\"config_text\" rows=\"10\" required></textarea>"
            + "<label for=\"config-reason\">Reason (kept in the audit log)</label><input id=\"config-reason\" name=\"reason\" type=\"text\" maxlength=\"500\">",
            "Create draft", false))
        .append("<h2>New draft from a use-case brief</h2><p>Markdown with the sections Objective, Target users, Task examples, "
            + "Behavioural guidelines and Out of scope (at most 512 KB); rules turn it into a configuration and say why in review flags.</p>")
        .append(Html.form(base + "/drafts", s, "<label for=\"brief\">Use-case brief (Markdown)</label>"
            + "<textarea id=\"brief\" name=\"brief\" rows=\"12\" required></textarea>"
            + "<label for=\"brief-reason\">Reason (kept in the audit log)</label><input id=\"brief-reason\" name=\"reason\" type=\"text\" maxlength=\"500\">",
            "Generate draft from brief", false));
    return Html.page("Memory configuration of " + id, s, b.toString());
  }

  /** Apply (a pending draft, with its mode) or roll back (a version applied before); nothing for the active one. */
  private static String actions(String base, ConsoleSessions.Session s, MemoryConfigs.Version v, boolean withMode) {
    var st = v.stored();
    if (MemoryConfigs.PENDING.equals(st.status())) {
      String mode = !withMode ? "" : "<fieldset><legend>Apply mode</legend>"
          + "<input type=\"radio\" id=\"mode-immediate\" name=\"mode\" value=\"immediate\" checked><label for=\"mode-immediate\" class=\"radio\">"
          + "Immediate (every message extracted from now on)</label><input type=\"radio\" id=\"mode-graceful\" name=\"mode\" value=\"graceful\">"
          + "<label for=\"mode-graceful\" class=\"radio\">Graceful (messages recorded before keep the version they arrived under)</label></fieldset>";
      return Html.form(base + "/" + st.version() + "/apply", s, mode, "Apply version " + st.version(), false);
    }
    if (!MemoryConfigs.ACTIVE.equals(st.status()) && st.activatedAt() != null) {
      return Html.form(base + "/" + st.version() + "/rollback", s, "", "Roll back to version " + st.version(), false);
    }
    return "";
  }

  /** A draft from {@code config_text} or {@code brief}, through the admin API's calls; on to its review page. */
  String create(Context ctx, ConsoleSessions.Session s) {
    InstanceInfo instance = engine.control().instance(ctx.pathParam("instance"));
    String reason = blankToNull(ctx.formParam("reason"));
    String brief = blankToNull(ctx.formParam("brief"));
    MemoryConfigs.Version v;
    String note;
    if (brief != null) {
      MemoryConfigs.BriefDraft d = configs.draftFromBrief(s.actor(), instance.instanceId(), instance.mode(), brief, reason == null ? REASON : reason,
          engine.briefRefiner());
      v = d.version();
      note = "Draft generated from the brief (its target users suggest " + d.suggestedIsolation().wireName() + "); review its flags.";
    } else {
      String text = blankToNull(ctx.formParam("config_text"));
      if (text == null) throw new InvalidInputException("Paste a configuration (JSON or YAML) or a brief.");
      v = configs.init(s.actor(), instance.instanceId(), text, "console", reason == null ? REASON : reason);
      note = "Draft created; review its flags.";
    }
    return base(instance.instanceId()) + "/" + v.stored().version() + "?done=" + u(note);
  }

  String version(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    String base = base(id);
    MemoryConfigs.Validation check = configs.validate(id, version(ctx));
    MemoryConfigs.Version v = check.version();
    var st = v.stored();
    boolean pending = MemoryConfigs.PENDING.equals(st.status());
    StringBuilder b = new StringBuilder(done(ctx));
    b.append("<dl><dt>Status</dt><dd>").append(e(st.status())).append("</dd><dt>Source</dt><dd>").append(e(st.source()))
        .append("</dd><dt>Created</dt><dd>").append(time(st.createdAt())).append(" by ").append(e(st.createdBy()))
        .append("</dd><dt>Reason</dt><dd>").append(e(st.reason())).append("</dd></dl><p>").append(link(base, "All versions")).append("</p>");
    b.append(flagTable("Review flags of version " + st.version(), v.flags()));
    b.append("<h2>Validation</h2><p role=\"status\">").append(check.valid() ? "Valid: it may be applied."
        : "Not valid: error flags block the apply until the draft is edited.").append("</p>");
    if (!check.flags().equals(v.flags())) b.append(flagTable("Flags of the configuration as it stands", check.flags()));
    b.append("<table><caption>Changes against the active configuration</caption><thead><tr><th scope=\"col\">Field</th>"
        + "<th scope=\"col\">Active</th><th scope=\"col\">Version ").append(st.version()).append("</th></tr></thead><tbody>");
    check.changes().forEach((field, pair) -> b.append("<tr><td><code>").append(e(field)).append("</code></td><td>").append(e(pair.get(0)))
        .append("</td><td>").append(e(pair.get(1))).append("</td></tr>"));
    if (check.changes().isEmpty()) b.append("<tr><td colspan=\"3\">No change.</td></tr>");
    b.append("</tbody></table>");
    b.append("<h2>Dry run</h2><form method=\"get\" action=\"").append(e(base + "/" + st.version() + "/dry-run"))
        .append("\" class=\"inline\"><label for=\"dry-messages\">Last messages to extract again (1-").append(ConfigDryRun.MAX_MESSAGES)
        .append(")</label><input id=\"dry-messages\" name=\"messages\" type=\"number\" min=\"1\" max=\"").append(ConfigDryRun.MAX_MESSAGES)
        .append("\" value=\"20\"> <button type=\"submit\">Dry run version ").append(st.version()).append("</button></form>");
    String json = v.config().toJson().toPrettyString();
    if (pending) {
      b.append("<h2>Edit</h2>").append(Html.form(base + "/" + st.version() + "/edit", s, "<label for=\"edit-text\">Configuration of version "
          + st.version() + " (JSON or YAML)</label><textarea id=\"edit-text\" name=\"config_text\" rows=\"16\" required>" + e(json) + "</textarea>"
          + "<label for=\"edit-reason\">Reason (kept in the audit log)</label><input id=\"edit-reason\" name=\"reason\" type=\"text\" maxlength=\"500\">",
          "Save draft", false));
    } else {
      b.append("<h2>Configuration</h2><pre>").append(e(json)).append("</pre>");
    }
    String action = actions(base, s, v, true);
    if (!action.isEmpty()) b.append("<h2>").append(pending ? "Apply" : "Roll back").append("</h2>").append(action);
    return Html.page("Memory configuration version " + st.version() + " of " + id, s, b.toString());
  }

  private static String flagTable(String caption, List<ReviewFlag> flags) {
    StringBuilder b = new StringBuilder("<table><caption>").append(e(caption)).append("</caption><thead><tr><th scope=\"col\">Severity</th>"
        + "<th scope=\"col\">Field</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
    for (ReviewFlag f : flags) {
      b.append("<tr><td class=\"flag-").append(e(f.severity())).append("\">").append(e(f.severity())).append("</td><td><code>").append(e(f.field()))
          .append("</code></td><td>").append(e(f.reason())).append("</td></tr>");
    }
    if (flags.isEmpty()) b.append("<tr><td colspan=\"3\">No flags.</td></tr>");
    return b.append("</tbody></table>").toString();
  }

  /** What the active configuration and this version would store from each of the last messages; nothing is stored. */
  String dryRun(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    int version = version(ctx);
    MemoryConfigs.Version v = configs.version(id, version);
    int n;
    try {
      n = Integer.parseInt(ctx.queryParamAsClass("messages", String.class).getOrDefault("20").strip());
    } catch (NumberFormatException ex) {
      throw new InvalidInputException("messages must be a whole number");
    }
    if (n < 1 || n > ConfigDryRun.MAX_MESSAGES) throw new InvalidInputException("messages must be 1.." + ConfigDryRun.MAX_MESSAGES);
    List<ConfigDryRun.Row> rows = dryRun.run(id, configs.active(id), v.config(), n);
    int active = rows.stream().mapToInt(r -> r.active().size()).sum(), draft = rows.stream().mapToInt(r -> r.draft().size()).sum();
    StringBuilder b = new StringBuilder("<p role=\"status\">").append(rows.size()).append(" messages: the active configuration keeps ").append(active)
        .append(" memories, version ").append(version).append(" keeps ").append(draft).append(". Nothing was stored.</p><p>")
        .append(link(base(id) + "/" + version, "Back to version " + version)).append("</p>");
    b.append("<table><caption>Last ").append(rows.size()).append(" messages under the active configuration and version ").append(version)
        .append("</caption><thead><tr><th scope=\"col\">Message</th><th scope=\"col\">Active: text stored</th><th scope=\"col\">Active: memories</th>")
        .append("<th scope=\"col\">Version ").append(version).append(": text stored</th><th scope=\"col\">Version ").append(version)
        .append(": memories</th></tr></thead><tbody>");
    for (ConfigDryRun.Row r : rows) {
      b.append("<tr><td><code>").append(e(r.messageId().length() > 8 ? r.messageId().substring(0, 8) : r.messageId())).append("</code></td><td>")
          .append(e(r.activeText())).append("</td><td>").append(memories(r.active())).append("</td><td>").append(e(r.draftText())).append("</td><td>")
          .append(memories(r.draft())).append("</td></tr>");
    }
    if (rows.isEmpty()) b.append("<tr><td colspan=\"5\">The instance has no messages yet.</td></tr>");
    return Html.page("Dry run of version " + version + " of " + id, s, b.append("</tbody></table>").toString());
  }

  private static String memories(List<ExtractedMemory> list) {
    if (list.isEmpty()) return "none";
    StringBuilder b = new StringBuilder("<ul>");
    for (ExtractedMemory m : list) {
      b.append("<li>").append(e(m.type().wireKey())).append(" ").append(String.format(Locale.ROOT, "%.2f", m.confidence())).append(": ")
          .append(e(m.content())).append("</li>");
    }
    return b.append("</ul>").toString();
  }

  String edit(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    int v = version(ctx);
    String text = blankToNull(ctx.formParam("config_text"));
    if (text == null) throw new InvalidInputException("The configuration is empty.");
    String reason = blankToNull(ctx.formParam("reason"));
    configs.edit(s.actor(), id, v, text, reason == null ? REASON : reason);
    return base(id) + "/" + v + "?done=" + u("Draft saved; flags recomputed.");
  }

  String apply(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    int v = version(ctx);
    String mode = blankToNull(ctx.formParam("mode"));
    configs.apply(s.actor(), id, v, mode == null ? "immediate" : mode, REASON);
    return base(id) + "?done=" + u("Version " + v + " is active" + ("graceful".equals(mode) ? " (graceful)." : "."));
  }

  String rollback(Context ctx, ConsoleSessions.Session s) {
    String id = ctx.pathParam("instance");
    int v = version(ctx);
    var now = configs.rollback(s.actor(), id, v, REASON);
    return base(id) + "?done=" + u("Rolled back to version " + v + " (as version " + now.stored().version() + ").");
  }

  static String done(Context ctx) {
    String d = ctx.queryParam("done");
    return d == null ? "" : "<p class=\"note\" role=\"status\">" + e(d) + "</p>";
  }

  private static int version(Context ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("version"));
    } catch (NumberFormatException ex) {
      throw new InvalidInputException("version must be an integer");
    }
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
