package dev.synap.server.console;

import static dev.synap.server.console.Html.e;
import static dev.synap.server.console.Html.link;
import static dev.synap.server.console.Html.time;
import static dev.synap.server.console.Html.u;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.MemoryEngine;
import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionRequest;
import dev.synap.core.compact.Strategy;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Message;
import dev.synap.core.model.Scope;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.MessageStore;
import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.server.auth.Authenticator;
import dev.synap.server.auth.Caller;
import dev.synap.server.http.OpenApi;
import dev.synap.server.limit.RateLimits;
import dev.synap.server.limit.TrustedProxies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.Handler;
import io.javalin.http.SameSite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's pages and actions. Every page checks the session first; every change is a POST
 * that carries the session's CSRF token, is allowed to admin sessions only, goes through the same
 * engine call the REST API makes ({@code MemoryWrites.delete}, {@code MemoryEngine.deleteUser},
 * {@code Compactor.compact}, {@code MemoryIndex.rebuild}; {@code ControlPlane.createInstance} and
 * {@code ControlPlane.revokeKey} as the admin API; the control-plane pages in {@link ControlPages})
 * and is written to the audit log ({@code audit_log}) before the page answers.
 */
public final class ConsoleRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
  static final String COOKIE = "synap_console";
  private static final String SESSION = "synap.console.session";

  /** The admin credential: a secret to the actor it names (empty when not an admin key), and whether a signed-in key still works. */
  public interface AdminKeys {
    Optional<String> signIn(String secret);

    boolean active(String keyHash);
  }

  /** Where console changes are recorded: who, which instance, what, on what, details. */
  @FunctionalInterface
  public interface Audit {
    void record(String actor, String instanceId, String action, String target, Map<String, Object> detail);
  }

  private final MemoryEngine engine;
  private final Authenticator authenticator;
  private final AdminKeys adminKeys;
  private final Audit audit;
  private final RateLimits limits;
  private final TrustedProxies proxies;
  private final ConsoleSessions sessions;
  private final LiveFigures figures;
  private final JsonNode openApi;
  private final boolean secureCookie;
  private final ControlPages control;
  private final ConfigPages configs;

  /**
   * @param adminKeys the admin credential check
   * @param secureCookie whether the console is served over HTTPS (the cookie is then {@code Secure})
   */
  public ConsoleRoutes(MemoryEngine engine, Authenticator authenticator, AdminKeys adminKeys, Audit audit,
      RateLimits limits, TrustedProxies proxies, io.micrometer.core.instrument.MeterRegistry meters, JsonNode openApi, boolean secureCookie,
      java.time.Duration idleTimeout, dev.synap.server.webhook.WebhookPublisher webhooks) {
    this.engine = engine;
    this.authenticator = authenticator;
    this.adminKeys = adminKeys;
    this.audit = audit;
    this.limits = limits;
    this.proxies = proxies;
    this.sessions = new ConsoleSessions(idleTimeout, java.time.Clock.systemUTC());
    this.figures = new LiveFigures(engine, meters);
    this.openApi = openApi;
    this.secureCookie = secureCookie;
    this.control = new ControlPages(engine, webhooks);
    this.configs = new ConfigPages(engine);
  }

  /** Ends the console sessions opened with a key that has just been revoked (anywhere). */
  public void keyRevoked(String keyHash) {
    sessions.closeKey(keyHash);
  }

  public void close() {
    figures.close();
  }

  public void register(RoutesConfig app) {
    app.get("/console/console.css", ctx -> ctx.contentType("text/css").header("Cache-Control", "max-age=3600").result(Html.CSS));
    app.get("/console", ctx -> {
      headers(ctx);
      Optional<ConsoleSessions.Session> s = sessions.find(ctx.cookie(COOKIE));
      if (s.isPresent()) ctx.redirect(home(s.get()));
      else ctx.html(loginPage(ctx.queryParam("why")));
    });
    app.post("/console/login", this::login);
    app.post("/console/logout", ctx -> {
      headers(ctx);
      sameOrigin(ctx);
      sessions.find(ctx.cookie(COOKIE)).ifPresent(s -> {
        csrf(ctx, s);
        sessions.close(s.id());
      });
      ctx.removeCookie(COOKIE, "/console");
      ctx.redirect("/console?why=signed-out");
    });

    app.get("/console/instances", page(this::instances));
    app.post("/console/instances", action(this::createInstance));
    app.get("/console/instances/{instance}", page(this::instance));
    app.get("/console/instances/{instance}/users", page(this::users));
    app.get("/console/instances/{instance}/users/{user}", page(this::user));
    app.get("/console/instances/{instance}/users/{user}/delete", page(this::confirmUserDeletion));
    app.post("/console/instances/{instance}/users/{user}/delete", action(this::deleteUser));
    app.post("/console/instances/{instance}/memories/{memory}/delete", action(this::deleteMemory));
    app.get("/console/instances/{instance}/entities", page(this::entities));
    app.get("/console/instances/{instance}/conversations/{conversation}", page(this::conversation));
    app.post("/console/instances/{instance}/conversations/{conversation}/compact", action(this::compact));
    app.post("/console/instances/{instance}/index/rebuild", action(this::rebuildIndex));
    app.post("/console/instances/{instance}/keys/{key}/revoke", action(this::revokeKey));
    String cp = "/console/instances/{instance}";
    app.post(cp + "/archive", controlAction(control::archive));
    app.post(cp + "/keys", controlAction((ctx, s) -> {
      ctx.html(control.createKey(ctx, s));
      return null;
    }));
    app.post(cp + "/keys/{key}/rotate", controlAction((ctx, s) -> {
      ctx.html(control.rotateKey(ctx, s));
      return null;
    }));
    app.get(cp + "/delete", controlPage(control::confirmDelete));
    app.post(cp + "/delete", controlAction(control::delete));
    app.get(cp + "/memory-config", controlPage(configs::list));
    app.post(cp + "/memory-config/drafts", controlAction(configs::create));
    app.get(cp + "/memory-config/{version}", controlPage(configs::version));
    app.get(cp + "/memory-config/{version}/dry-run", controlPage(configs::dryRun));
    app.post(cp + "/memory-config/{version}/edit", controlAction(configs::edit));
    app.post(cp + "/memory-config/{version}/apply", controlAction(configs::apply));
    app.post(cp + "/memory-config/{version}/rollback", controlAction(configs::rollback));
    app.get(cp + "/webhooks", controlPage(control::webhooks));
    app.post(cp + "/webhooks", controlAction((ctx, s) -> {
      ctx.html(control.registerWebhook(ctx, s));
      return null;
    }));
    app.post(cp + "/webhooks/{webhook}/test", controlAction(control::testWebhook));
    app.post(cp + "/webhooks/{webhook}/delete", controlAction(control::deleteWebhook));
    app.get("/console/metrics", page(this::metrics));
    app.get("/console/api", page(this::apiReference));

    app.exception(ConsoleDenied.class, (ex, ctx) -> {
      headers(ctx);
      if (ex.status == 401) {
        ctx.redirect("/console?why=" + ex.getMessage());
        return;
      }
      ctx.status(ex.status).html(Html.page("Not allowed", null, "<p class=\"error\" role=\"alert\">" + e(ex.getMessage()) + "</p>"
          + "<p>" + link("/console", "Back to the console") + "</p>"));
    });
  }

  // ---- sign-in, sessions, CSRF

  private static final class ConsoleDenied extends RuntimeException {
    final int status;

    ConsoleDenied(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private interface PageBody {
    String render(Context ctx, ConsoleSessions.Session s) throws Exception;
  }

  private interface Action {
    /** Performs the change and returns where to go next (null: it answered with a page itself). */
    String run(Context ctx, ConsoleSessions.Session s) throws Exception;
  }

  /** Pages: a live session, an instance it may read; the body renders inside the layout. */
  private Handler page(PageBody body) {
    return ctx -> {
      headers(ctx);
      ConsoleSessions.Session s = session(ctx);
      String instance = ctx.pathParamMap().get("instance");
      if (instance != null) readable(s, instance);
      ctx.html(body.render(ctx, s));
    };
  }

  /** Changes: same origin, the CSRF token, an admin session; redirected to a page afterwards. */
  private Handler action(Action a) {
    return ctx -> {
      headers(ctx);
      sameOrigin(ctx);
      ConsoleSessions.Session s = session(ctx);
      csrf(ctx, s);
      if (!s.admin()) throw new ConsoleDenied(403, "This session is read-only: sign in with the admin credential to change anything.");
      String instance = ctx.pathParamMap().get("instance");
      if (instance != null) readable(s, instance);
      String next = a.run(ctx, s);
      if (next != null) ctx.redirect(next);
    };
  }

  /** Control-plane pages mirror the admin API, which only the admin credential reaches. */
  private Handler controlPage(PageBody body) {
    return page((ctx, s) -> {
      if (!s.admin()) throw new ConsoleDenied(403, "This page needs the admin credential.");
      return controlErrors(() -> body.render(ctx, s));
    });
  }

  /** An action that answers with a page of its own (a secret shown once) returns null instead of where to go. */
  private Handler controlAction(Action a) {
    return action((ctx, s) -> controlErrors(() -> a.run(ctx, s)));
  }

  /** The control plane refuses with the API's exceptions; the console shows them as a page, not a JSON envelope. */
  private static String controlErrors(java.util.concurrent.Callable<String> c) throws Exception {
    try {
      return c.call();
    } catch (dev.synap.core.InvalidInputException ex) {
      throw new ConsoleDenied(400, ex.getMessage());
    } catch (dev.synap.core.NotFoundException ex) {
      throw new ConsoleDenied(404, ex.getMessage());
    } catch (dev.synap.core.ConflictException ex) {
      throw new ConsoleDenied(409, ex.getMessage());
    }
  }

  private ConsoleSessions.Session session(Context ctx) {
    ConsoleSessions.Session s = sessions.find(ctx.cookie(COOKIE)).orElseThrow(() -> new ConsoleDenied(401, "signed-out"));
    // Admin keys live in the control plane, not among instance keys the revocation watcher reads:
    // checked on each request (one indexed read) so a revoked admin key's session ends at once.
    if (s.admin() && !adminKeys.active(s.keyHash())) {
      sessions.close(s.id());
      throw new ConsoleDenied(401, "signed-out");
    }
    ctx.attribute(SESSION, s);
    return s;
  }

  private Instance readable(ConsoleSessions.Session s, String instanceId) {
    if (!s.mayRead(instanceId)) throw new ConsoleDenied(404, "No such instance.");
    return engine.tenancy().instance(instanceId).orElseThrow(() -> new ConsoleDenied(404, "No such instance."));
  }

  private static void csrf(Context ctx, ConsoleSessions.Session s) {
    if (!ConsoleSessions.sameToken(s.csrf(), ctx.formParam("csrf"))) throw new ConsoleDenied(403, "The form expired or did not come from this console; reload the page and try again.");
  }

  /**
   * A change must come from a console page. Browsers say where a request comes from in
   * {@code Sec-Fetch-Site}; older ones in {@code Origin} (SameSite=Strict keeps the cookie off
   * cross-site requests as well). Clients that send neither (scripts, curl) carry no browser
   * cookie to abuse and still need the CSRF token.
   */
  private static void sameOrigin(Context ctx) {
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null) {
      if (site.equals("same-origin") || site.equals("none")) return;
      throw new ConsoleDenied(403, "Cross-origin request refused.");
    }
    String origin = ctx.header("Origin");
    if (origin == null || origin.equals("null")) return;
    String host = ctx.header("Host");
    if (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
      throw new ConsoleDenied(403, "Cross-origin request refused.");
    }
  }

  /** No caching of pages holding memories, no framing, no script at all. */
  private static void headers(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  }

  private String loginPage(String why) {
    String note = switch (why == null ? "" : why) {
      case "signed-out" -> "<p class=\"note\" role=\"status\">You are signed out (or your session was idle for "
          + sessions.idleTimeout().toMinutes() + " minutes).</p>";
      case "refused" -> "<p class=\"error\" role=\"alert\">That key was not accepted.</p>";
      case "limited" -> "<p class=\"error\" role=\"alert\">Too many refused sign-ins from this address; wait a little.</p>";
      default -> "";
    };
    return Html.page("Sign in", null, note + "<form method=\"post\" action=\"/console/login\"><label for=\"key\">Admin credential or instance API key</label>"
        + "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required>"
        + "<p>An instance key opens a read-only view of its instance; the admin credential may act on every instance.</p>"
        + "<button type=\"submit\">Sign in</button></form>");
  }

  private void login(Context ctx) {
    headers(ctx);
    sameOrigin(ctx);
    String peer = proxies.clientOf(ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("Forwarded")),
        Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    String key = ctx.formParam("key");
    String bearer = "Bearer " + (key == null ? "" : key.strip());
    // Failed sign-ins spend the same per-address refusal budget as failed API calls.
    if (!authenticator.mayBeActiveKey(bearer) && !limits.admitPeer(peer, "console").allowed()) {
      ctx.redirect("/console?why=limited");
      return;
    }
    ConsoleSessions.Session s = null;
    Optional<String> admin = key == null ? Optional.empty() : adminKeys.signIn(key.strip());
    if (admin.isPresent()) {
      s = sessions.open(admin.get(), null, dev.synap.core.tenant.ApiKeys.hash(key.strip()));
    } else {
      Optional<Caller> caller = authenticator.authenticate(bearer);
      if (caller.isPresent()) s = sessions.open("key " + dev.synap.core.tenant.ApiKeys.displayPrefix(key.strip()), caller.get().instance().instanceId(),
          caller.get().keyHash());
    }
    if (s == null) {
      limits.refusedAuthentication(peer);
      ctx.redirect("/console?why=refused");
      return;
    }
    ctx.cookie(new Cookie(COOKIE, s.id(), "/console", -1, secureCookie, true, null, SameSite.STRICT));
    LOG.info("console sign-in: {}", s.actor());
    ctx.redirect(home(s));
  }

  private static String home(ConsoleSessions.Session s) {
    return s.admin() ? "/console/instances" : "/console/instances/" + u(s.instanceId());
  }

  // ---- pages

  private String instances(Context ctx, ConsoleSessions.Session s) {
    StringBuilder b = new StringBuilder(ConfigPages.done(ctx)).append("<table><caption>Instances</caption><thead><tr><th scope=\"col\">Instance</th><th scope=\"col\">Mode</th>"
        + "<th scope=\"col\">Memories</th><th scope=\"col\">Active keys</th><th scope=\"col\">Last active</th></tr></thead><tbody>");
    for (Instance i : engine.tenancy().instances()) {
      if (!s.mayRead(i.instanceId())) continue;
      List<ApiKeyInfo> keys = engine.tenancy().keys(i.instanceId());
      Instant last = keys.stream().map(ApiKeyInfo::lastUsedAt).filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null);
      b.append("<tr><td>").append(link("/console/instances/" + u(i.instanceId()), i.instanceId())).append("</td><td>").append(e(i.mode().wireName()))
          .append("</td><td>").append(engine.store().memories().count(i.instanceId())).append("</td><td>")
          .append(keys.stream().filter(ApiKeyInfo::active).count()).append("</td><td>").append(time(last)).append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (s.admin()) {
      b.append("<h2>New instance</h2>").append(Html.form("/console/instances", s, "<label for=\"name\">Name</label>"
          + "<input id=\"name\" name=\"name\" type=\"text\" required maxlength=\"100\"><fieldset><legend>Relationship mode</legend>"
          + "<input type=\"radio\" id=\"mode-b2c\" name=\"mode\" value=\"b2c\" checked><label for=\"mode-b2c\" class=\"radio\">B2C (users)</label>"
          + "<input type=\"radio\" id=\"mode-b2b\" name=\"mode\" value=\"b2b\"><label for=\"mode-b2b\" class=\"radio\">B2B (customers with users)</label>"
          + "</fieldset>", "Create instance", false));
    }
    return Html.page("Instances", s, b.toString());
  }

  private String createInstance(Context ctx, ConsoleSessions.Session s) {
    String name = ctx.formParam("name");
    if (name == null || name.isBlank() || name.length() > 100) throw new ConsoleDenied(400, "An instance needs a name of 1-100 characters.");
    RelationshipMode mode = RelationshipMode.parse(ctx.formParam("mode")).orElseThrow(() -> new ConsoleDenied(400, "Mode must be b2c or b2b."));
    // The admin API's path: the control plane checks the name and writes the audit row itself.
    String id = engine.control().createInstance(s.actor(), name.strip(), null, null, mode).instanceId();
    return "/console/instances/" + u(id);
  }

  private String instance(Context ctx, ConsoleSessions.Session s) {
    Instance i = readable(s, ctx.pathParam("instance"));
    String base = "/console/instances/" + u(i.instanceId());
    StringBuilder b = new StringBuilder();
    if (ctx.queryParam("done") != null) b.append("<p class=\"note\" role=\"status\">").append(e(ctx.queryParam("done"))).append("</p>");
    b.append("<dl><dt>Mode</dt><dd>").append(e(i.mode().wireName())).append("</dd><dt>Memories</dt><dd>")
        .append(engine.store().memories().count(i.instanceId())).append("</dd><dt>Ingestion queue (all instances)</dt><dd>")
        .append(engine.ingest().queueDepth()).append(" messages waiting</dd></dl><p>").append(link(base + "/users", "Users"))
        .append(" · ").append(link(base + "/entities", "Entities")).append("</p>");
    b.append("<h2>API keys</h2><table><caption>Keys of this instance (secrets are never shown again)</caption><thead><tr><th scope=\"col\">Key</th>"
        + "<th scope=\"col\">Label</th><th scope=\"col\">Created</th><th scope=\"col\">Last used</th><th scope=\"col\">State</th>")
        .append(s.admin() ? "<th scope=\"col\">Action</th>" : "").append("</tr></thead><tbody>");
    for (ApiKeyInfo k : engine.tenancy().keys(i.instanceId())) {
      b.append("<tr><td><code>").append(e(k.prefix())).append("…</code></td><td>").append(e(k.label())).append("</td><td>").append(time(k.createdAt()))
          .append("</td><td>").append(time(k.lastUsedAt())).append("</td><td>");
      // A rotated key shows the end of its grace period here.
      if (k.revokedAt() != null) b.append("revoked ").append(time(k.revokedAt()));
      else if (!k.active()) b.append("expired ").append(time(k.expiresAt()));
      else if (k.expiresAt() != null) b.append("active until ").append(time(k.expiresAt()));
      else b.append("active");
      b.append("</td>");
      if (s.admin()) {
        b.append("<td>");
        if (k.active()) {
          String grace = "grace-" + k.keyId();
          b.append(Html.form(base + "/keys/" + u(k.keyId()) + "/revoke", s, "", "Revoke " + k.prefix(), true)).append(' ')
              .append(Html.form(base + "/keys/" + u(k.keyId()) + "/rotate", s, "<label for=\"" + e(grace) + "\">Hours the old key " + e(k.prefix())
                  + " keeps working (0: none)</label><input id=\"" + e(grace) + "\" name=\"grace_hours\" type=\"number\" min=\"0\" step=\"any\" value=\"24\"> ",
                  "Rotate " + k.prefix(), false));
        }
        b.append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table><h2>Recent conversations</h2>").append(conversationTable(i.instanceId(), null));
    if (s.admin()) b.append(control.instanceSection(i.instanceId(), s));
    if (s.admin()) b.append("<h2>Search index</h2><p>Re-derive this instance's Lucene index from the store (searches keep working meanwhile).</p>")
        .append(Html.form(base + "/index/rebuild", s, "", "Rebuild index", false));
    return Html.page("Instance " + i.instanceId(), s, b.toString());
  }

  private String conversationTable(String instanceId, String userId) {
    StringBuilder b = new StringBuilder("<table><caption>Conversations</caption><thead><tr><th scope=\"col\">Conversation</th><th scope=\"col\">Owner</th>"
        + "<th scope=\"col\">Messages</th><th scope=\"col\">First</th><th scope=\"col\">Last</th></tr></thead><tbody>");
    for (MessageStore.ConversationSummary c : engine.store().messages().conversations(instanceId, userId, 50)) {
      b.append("<tr><td>").append(link("/console/instances/" + u(instanceId) + "/conversations/" + u(c.conversationId()), c.conversationId()))
          .append("</td><td>").append(e(c.userId())).append("</td><td>").append(c.messages()).append("</td><td>").append(time(c.first()))
          .append("</td><td>").append(time(c.last())).append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  private String users(Context ctx, ConsoleSessions.Session s) {
    Instance i = readable(s, ctx.pathParam("instance"));
    String q = ctx.queryParam("q");
    q = q == null || q.isBlank() ? null : q.strip();
    StringBuilder b = new StringBuilder("<form method=\"get\" role=\"search\"><label for=\"q\">Find a user by id</label>"
        + "<input id=\"q\" name=\"q\" type=\"search\" value=\"" + e(q) + "\"> <button type=\"submit\">Search</button></form>");
    b.append("<table><caption>Users").append(q == null ? "" : " matching “" + e(q) + "”").append("</caption><thead><tr><th scope=\"col\">User</th>"
        + "<th scope=\"col\">Customer</th><th scope=\"col\">Messages</th><th scope=\"col\">Conversations</th><th scope=\"col\">Last active</th></tr></thead><tbody>");
    for (MessageStore.UserSummary u : engine.store().messages().users(i.instanceId(), q, 200)) {
      String href = "/console/instances/" + u(i.instanceId()) + "/users/" + u(u.userId()) + (u.customerId() == null ? "" : "?customer=" + u(u.customerId()));
      b.append("<tr><td>").append(link(href, u.userId())).append("</td><td>").append(e(u.customerId())).append("</td><td>").append(u.messages())
          .append("</td><td>").append(u.conversations()).append("</td><td>").append(time(u.lastActive())).append("</td></tr>");
    }
    return Html.page("Users of " + i.instanceId(), s, b.append("</tbody></table>").toString());
  }

  /** The heading of a user's source evidence, shown after the typed memories. */
  static final String EVIDENCE_SECTION = "source evidence";

  private String user(Context ctx, ConsoleSessions.Session s) {
    Instance i = readable(s, ctx.pathParam("instance"));
    String userId = ctx.pathParam("user");
    String customer = ctx.queryParam("customer");
    String base = "/console/instances/" + u(i.instanceId());
    List<Memory> all = engine.store().memories().list(new MemoryFilter(i.instanceId(), Scope.USER, customer, userId, null, Set.of(), true), 500, 0);
    Set<String> sourceIds = new java.util.HashSet<>();
    for (Memory m : all) sourceIds.addAll(m.sourceMessageIds());
    Map<String, Message> turns = new LinkedHashMap<>();
    for (Message m : engine.store().messages().byIds(i.instanceId(), sourceIds)) turns.put(m.messageId(), m);
    // Typed memories by type, then the source evidence (issue #20) in a section of its own, last.
    Map<String, List<Memory>> byType = new LinkedHashMap<>();
    for (MemoryType t : MemoryType.values()) {
      for (Memory m : all) if (m.type() == t && !m.isEvidence()) byType.computeIfAbsent(t.wireKey(), k -> new ArrayList<>()).add(m);
    }
    for (Memory m : all) if (m.isEvidence()) byType.computeIfAbsent(EVIDENCE_SECTION, k -> new ArrayList<>()).add(m);
    StringBuilder b = new StringBuilder();
    if (ctx.queryParam("done") != null) b.append("<p class=\"note\" role=\"status\">").append(e(ctx.queryParam("done"))).append("</p>");
    b.append("<p>").append(all.size()).append(" memories (current, superseded and retracted). ").append(link(base + "/users", "All users")).append("</p>");
    for (Map.Entry<String, List<Memory>> t : byType.entrySet()) {
      b.append("<h2>").append(e(t.getKey())).append("</h2>")
          .append(t.getKey().equals(EVIDENCE_SECTION) ? "<p>Sentences kept so that retrieval finds them, not typed memories; clients receive them as facts.</p>" : "")
          .append("<table><caption>").append(e(t.getKey()))
          .append(" memories of ").append(e(userId)).append("</caption><thead><tr><th scope=\"col\">Memory</th><th scope=\"col\">Confidence</th>"
              + "<th scope=\"col\">Validity</th><th scope=\"col\">Source turn</th><th scope=\"col\">History</th>")
          .append(s.admin() ? "<th scope=\"col\">Action</th>" : "").append("</tr></thead><tbody>");
      for (Memory m : t.getValue()) {
        b.append("<tr id=\"m-").append(e(m.memoryId())).append("\"><td>").append(e(m.content())).append("<br><small><code>").append(e(m.memoryId()))
            .append("</code></small></td><td>").append(String.format(java.util.Locale.ROOT, "%.2f", m.confidence())).append("</td><td><span class=\"status-")
            .append(e(m.status())).append("\">").append(e(m.status())).append("</span>")
            .append(m.validUntil() == null ? "" : "<br>until " + e(m.validUntil())).append("</td><td>");
        for (String id : m.sourceMessageIds()) {
          Message turn = turns.get(id);
          if (turn == null) continue;
          b.append("<q>").append(e(turn.content())).append("</q> <small>(").append(e(turn.role())).append(", ").append(time(turn.occurredAt()))
              .append(", ").append(link(base + "/conversations/" + u(turn.conversationId()), "conversation")).append(")</small><br>");
        }
        b.append("</td><td><details><summary>History of ").append(e(shortId(m.memoryId()))).append("</summary><ol>");
        for (MemoryStore.HistoryEntry h : engine.store().memories().history(i.instanceId(), m.memoryId())) {
          b.append("<li>").append(time(h.at())).append(" <strong>").append(e(h.action())).append("</strong> (").append(e(h.status())).append(")")
              .append(h.content() == null ? "" : ": " + e(h.content())).append("</li>");
        }
        b.append("</ol></details></td>");
        if (s.admin()) b.append("<td>").append(Html.form(base + "/memories/" + u(m.memoryId()) + "/delete", s,
            "<input type=\"hidden\" name=\"back\" value=\"" + e(ctx.path() + (customer == null ? "" : "?customer=" + u(customer))) + "\">",
            "Delete memory " + shortId(m.memoryId()), true)).append("</td>");
        b.append("</tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("<h2>Conversations</h2>").append(conversationTable(i.instanceId(), userId));
    if (s.admin()) {
      b.append("<h2>Delete this user</h2><p>").append(link(ctx.path() + "/delete" + (customer == null ? "" : "?customer=" + u(customer)),
          "Delete user " + userId + "…")).append("</p>");
    }
    return Html.page("User " + userId, s, b.toString());
  }

  private static String shortId(String id) {
    return id.length() <= 8 ? id : id.substring(0, 8);
  }

  private String confirmUserDeletion(Context ctx, ConsoleSessions.Session s) {
    if (!s.admin()) throw new ConsoleDenied(403, "This session is read-only.");
    String userId = ctx.pathParam("user");
    String customer = ctx.queryParam("customer");
    return Html.page("Delete user " + userId, s, "<p class=\"error\">This removes every memory, message, conversation and compaction holding "
        + e(userId) + "'s words, for good. Type the user id to confirm.</p>"
        + Html.form(ctx.path(), s, (customer == null ? "" : "<input type=\"hidden\" name=\"customer\" value=\"" + e(customer) + "\">")
            + "<label for=\"confirm\">User id</label><input id=\"confirm\" name=\"confirm\" type=\"text\" autocomplete=\"off\" required> ",
            "Delete user for good", true));
  }

  private String deleteUser(Context ctx, ConsoleSessions.Session s) {
    String instanceId = ctx.pathParam("instance"), userId = ctx.pathParam("user");
    String customer = blankToNull(ctx.formParam("customer"));
    if (!userId.equals(ctx.formParam("confirm"))) throw new ConsoleDenied(400, "The typed user id did not match; nothing was deleted.");
    var d = engine.deleteUser(instanceId, customer, userId);
    audit.record(s.actor(), instanceId, "user.delete", userId, detail("customer_id", customer, "memories", d.memories(), "messages", d.messages(),
        "conversations", d.conversations(), "via", "console"));
    return "/console/instances/" + u(instanceId) + "?done=" + u("User " + userId + " deleted: " + d.memories() + " memories, " + d.messages() + " messages.");
  }

  private String deleteMemory(Context ctx, ConsoleSessions.Session s) {
    String instanceId = ctx.pathParam("instance"), memoryId = ctx.pathParam("memory");
    Memory m = engine.store().memories().get(instanceId, memoryId).orElseThrow(() -> new ConsoleDenied(404, "No such memory."));
    engine.writes().delete(instanceId, memoryId);
    audit.record(s.actor(), instanceId, "memory.delete", memoryId, detail("user_id", m.userId(), "via", "console"));
    String back = ctx.formParam("back");
    // Only a console path: the form field must not turn this into an open redirect.
    String to = back != null && back.startsWith("/console/") && !back.startsWith("//") ? back : "/console/instances/" + u(instanceId);
    return to + (to.contains("?") ? "&" : "?") + "done=" + u("Memory " + memoryId + " deleted.");
  }

  private String entities(Context ctx, ConsoleSessions.Session s) {
    Instance i = readable(s, ctx.pathParam("instance"));
    StringBuilder b = new StringBuilder("<table><caption>Entities with their aliases</caption><thead><tr><th scope=\"col\">Name</th>"
        + "<th scope=\"col\">Type</th><th scope=\"col\">Aliases</th><th scope=\"col\">Id</th></tr></thead><tbody>");
    for (var en : engine.entities().entities(i.instanceId())) {
      b.append("<tr><td>").append(e(en.canonicalName())).append("</td><td>").append(e(en.type().wireName())).append("</td><td>")
          .append(e(String.join(", ", en.aliases()))).append("</td><td><code>").append(e(en.entityId())).append("</code></td></tr>");
    }
    b.append("</tbody></table><table><caption>Merges</caption><thead><tr><th scope=\"col\">Merged</th><th scope=\"col\">Into</th>"
        + "<th scope=\"col\">Reason</th><th scope=\"col\">When</th></tr></thead><tbody>");
    for (var mg : engine.store().entities().merges(i.instanceId())) {
      b.append("<tr><td><code>").append(e(mg.fromEntityId())).append("</code></td><td><code>").append(e(mg.intoEntityId())).append("</code></td><td>")
          .append(e(mg.reason())).append("</td><td>").append(time(mg.mergedAt())).append("</td></tr>");
    }
    return Html.page("Entities of " + i.instanceId(), s, b.append("</tbody></table>").toString());
  }

  private String conversation(Context ctx, ConsoleSessions.Session s) {
    Instance i = readable(s, ctx.pathParam("instance"));
    String conv = ctx.pathParam("conversation");
    StringBuilder b = new StringBuilder();
    if (ctx.queryParam("done") != null) b.append("<p class=\"note\" role=\"status\">").append(e(ctx.queryParam("done"))).append("</p>");
    b.append("<table><caption>Messages (the newest 500)</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Role</th>"
        + "<th scope=\"col\">User</th><th scope=\"col\">Content</th></tr></thead><tbody>");
    for (Message m : engine.store().messages().conversation(i.instanceId(), conv, 500)) {
      b.append("<tr><td>").append(time(m.occurredAt())).append("</td><td>").append(e(m.role())).append("</td><td>").append(e(m.userId()))
          .append("</td><td>").append(e(m.content())).append("</td></tr>");
    }
    b.append("</tbody></table><h2>Compactions</h2><table><caption>Every compaction job, newest first</caption><thead><tr><th scope=\"col\">Version</th>"
        + "<th scope=\"col\">Status</th><th scope=\"col\">Trigger</th><th scope=\"col\">Strategy</th><th scope=\"col\">Ratio</th>"
        + "<th scope=\"col\">Validation score</th><th scope=\"col\">Started</th><th scope=\"col\">Summary</th></tr></thead><tbody>");
    for (Compaction c : engine.store().compactions().all(i.instanceId(), conv)) {
      var r = c.result();
      b.append("<tr><td>").append(c.version() == null ? "" : c.version()).append("</td><td>").append(e(c.status()))
          .append(c.error() == null ? "" : ": " + e(c.error())).append("</td><td>").append(e(c.trigger())).append("</td><td>")
          .append(r == null ? e(c.strategyRequested() == null ? "" : c.strategyRequested().wireName()) : e(r.strategyUsed().wireName())).append("</td><td>")
          .append(r == null ? "" : String.format(java.util.Locale.ROOT, "%.2f", r.compressionRatio())).append("</td><td>")
          .append(r == null ? "" : String.format(java.util.Locale.ROOT, "%.2f", r.validationScore()) + (r.qualityWarning() ? " (warning)" : ""))
          .append("</td><td>").append(time(c.initiatedAt())).append("</td><td>")
          .append(r == null ? "" : "<details><summary>Summary v" + c.version() + "</summary><pre>" + e(r.summary()) + "</pre></details>")
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (s.admin()) b.append(Html.form(ctx.path() + "/compact", s, "", "Compact this conversation now", false));
    return Html.page("Conversation " + conv, s, b.toString());
  }

  private String compact(Context ctx, ConsoleSessions.Session s) {
    String instanceId = ctx.pathParam("instance"), conv = ctx.pathParam("conversation");
    String back = "/console/instances/" + u(instanceId) + "/conversations/" + u(conv);
    try {
      var started = engine.compactions().compact(new CompactionRequest(instanceId, conv, Strategy.parse(null), null, true, CompactionRequest.MANUAL));
      audit.record(s.actor(), instanceId, "conversation.compact", conv, detail("compaction_id", started.job().compactionId(), "via", "console"));
      return back + "?done=" + u("Compaction " + started.job().compactionId() + " started.");
    } catch (dev.synap.core.ConflictException | dev.synap.core.NotFoundException | dev.synap.core.InvalidInputException ex) {
      return back + "?done=" + u("Not started: " + ex.getMessage());
    }
  }

  private String rebuildIndex(Context ctx, ConsoleSessions.Session s) {
    String instanceId = ctx.pathParam("instance");
    audit.record(s.actor(), instanceId, "index.rebuild", instanceId, detail("via", "console"));
    // Minutes for a large instance: in the background; reads are served meanwhile.
    Thread.ofVirtual().name("synap-console-rebuild").start(() -> {
      try {
        engine.index().rebuild(instanceId);
      } catch (RuntimeException ex) {
        LOG.error("index rebuild of {} from the console failed: {}", instanceId, ex.getMessage());
      }
    });
    return "/console/instances/" + u(instanceId) + "?done=" + u("Index rebuild started.");
  }

  private String revokeKey(Context ctx, ConsoleSessions.Session s) {
    String instanceId = ctx.pathParam("instance"), keyId = ctx.pathParam("key");
    ApiKeyInfo k = engine.tenancy().keys(instanceId).stream().filter(x -> x.keyId().equals(keyId)).findFirst()
        .orElseThrow(() -> new ConsoleDenied(404, "No such key in this instance."));
    // The admin API's path (POST /dashboard/keys/{key_id}/revoke): revokes and audits in one call.
    boolean revoked = k.revokedAt() == null && engine.control().revokeKey(s.actor(), k.keyId(), "revoked from the console").revokedAt() != null;
    return "/console/instances/" + u(instanceId) + "?done=" + u(revoked ? "Key " + k.prefix() + " revoked." : "Key was already revoked.");
  }

  private String metrics(Context ctx, ConsoleSessions.Session s) {
    List<LiveFigures.Sample> h = new ArrayList<>(figures.history());
    h.add(figures.sample());
    StringBuilder b = new StringBuilder("<p>One point per ").append(LiveFigures.INTERVAL_SECONDS).append(" s over the last ")
        .append(LiveFigures.SAMPLES * LiveFigures.INTERVAL_SECONDS / 60).append(" minutes; reload for new points. Latest sample ")
        .append(time(h.getLast().at())).append(".</p><div class=\"charts\">");
    b.append(SvgChart.render("Ingestion queue depth", "messages", List.of(series("waiting", "#1d3557", h, x -> (double) x.queueDepth()))));
    b.append(SvgChart.render("Ingest lag", "ms", List.of(series("acknowledged to memories committed (mean)", "#6f42c1", h, LiveFigures.Sample::lagMs))));
    b.append(SvgChart.render("Fetch latency", "ms", List.of(series("p50", "#2a9d8f", h, LiveFigures.Sample::fetchP50Ms),
        series("p99", "#e76f51", h, LiveFigures.Sample::fetchP99Ms))));
    b.append(SvgChart.render("Anticipation pushes", "per interval", List.of(series("bundles pushed", "#264653", h, x -> (double) x.pushes()))));
    b.append(SvgChart.render("Push latency", "ms", List.of(series("event to bundle (mean)", "#e9c46a", h, LiveFigures.Sample::pushMs))));
    b.append(SvgChart.render("Cache", "share", List.of(series("client cache hit rate", "#2a9d8f", h, LiveFigures.Sample::cacheHitRate),
        series("useful hits (context_used)", "#9b1c1c", h, LiveFigures.Sample::usefulHitRate))));
    b.append("</div><h2>Anticipation by pattern</h2>");
    for (Instance i : engine.tenancy().instances()) {
      if (!s.mayRead(i.instanceId())) continue;
      var snapshot = engine.planner().feedback().snapshot(i.instanceId());
      b.append("<table><caption>Instance ").append(e(i.instanceId())).append("</caption><thead><tr><th scope=\"col\">Pattern</th>"
          + "<th scope=\"col\">Bundles</th><th scope=\"col\">Useful-hit rate</th><th scope=\"col\">Item precision</th><th scope=\"col\">Wasted tokens</th></tr></thead><tbody>");
      snapshot.forEach((pattern, m) -> b.append("<tr><td>").append(e(pattern)).append("</td><td>").append(e(m.get("bundles"))).append("</td><td>")
          .append(SvgChart.fmt(((Number) m.get("hit_rate")).doubleValue())).append("</td><td>").append(SvgChart.fmt(((Number) m.get("precision")).doubleValue()))
          .append("</td><td>").append(e(m.get("wasted_tokens"))).append("</td></tr>"));
      if (snapshot.isEmpty()) b.append("<tr><td colspan=\"5\">No pushes yet.</td></tr>");
      b.append("</tbody></table>");
    }
    return Html.page("Live figures", s, b.toString());
  }

  private static SvgChart.Series series(String name, String colour, List<LiveFigures.Sample> h, Function<LiveFigures.Sample, Double> f) {
    return new SvgChart.Series(name, colour, h.stream().map(f).toList());
  }

  private String apiReference(Context ctx, ConsoleSessions.Session s) {
    StringBuilder b = new StringBuilder("<p>Rendered from ").append(link("/openapi.json", "/openapi.json"))
        .append(" (OpenAPI 3.1). Authenticate with <code>Authorization: Bearer sk_live_…</code>; errors are <code>{\"detail\", \"code\"}</code>.</p>");
    b.append("<table><caption>REST operations</caption><thead><tr><th scope=\"col\">Method</th><th scope=\"col\">Path</th><th scope=\"col\">Summary</th>"
        + "<th scope=\"col\">Parameters</th><th scope=\"col\">Body fields</th></tr></thead><tbody>");
    openApi.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
      List<String> params = new ArrayList<>();
      for (JsonNode prm : op.getValue().path("parameters")) params.add(prm.path("name").asText() + " (" + prm.path("in").asText() + ")");
      JsonNode schema = op.getValue().path("requestBody").path("content").elements().hasNext()
          ? op.getValue().path("requestBody").path("content").elements().next().path("schema") : null;
      if (schema != null && schema.has("$ref")) schema = openApi.at(schema.get("$ref").asText().substring(1));
      List<String> fields = new ArrayList<>();
      if (schema != null) schema.path("properties").fieldNames().forEachRemaining(fields::add);
      b.append("<tr><td>").append(e(op.getKey().toUpperCase(java.util.Locale.ROOT))).append("</td><td><code>").append(e(p.getKey()))
          .append("</code></td><td>").append(e(op.getValue().path("summary").asText())).append("</td><td>").append(e(String.join(", ", params)))
          .append("</td><td>").append(e(String.join(", ", fields))).append("</td></tr>");
    }));
    return Html.page("API reference", s, b.append("</tbody></table>").toString());
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v;
  }

  private static Map<String, Object> detail(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int k = 0; k < pairs.length; k += 2) if (pairs[k + 1] != null) m.put((String) pairs[k], pairs[k + 1]);
    return m;
  }
}
