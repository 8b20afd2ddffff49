package dev.synap.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.ConflictException;
import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.NotFoundException;
import dev.synap.core.ingest.QueueFullException;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.ingest.RecordValidator;
import dev.synap.core.ingest.Recorded;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.store.StoreException;
import dev.synap.core.store.StoreUnavailableException;
import dev.synap.core.tenant.Instance;
import dev.synap.server.auth.Authenticator;
import dev.synap.server.auth.Caller;
import dev.synap.server.context.ContextFetcher;
import dev.synap.server.context.Iso;
import dev.synap.server.limit.Admission;
import dev.synap.server.limit.RateLimits;
import dev.synap.server.limit.TrustedProxies;
import dev.synap.server.telemetry.ClientTelemetry;
import dev.synap.server.tls.HttpsConnector;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.KeyStore;
import java.util.Objects;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST edge, byte-compatible with the official client (contract sections 8 and 9): JSON
 * objects, status 200 on success, {@code {"detail": ...}} errors with the documented codes.
 */
public final class RestApi {
  private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
  private static final String CALLER = "synap.caller";

  private final MemoryEngine engine;
  private final Authenticator authenticator;
  private final ContextFetcher fetcher;
  private final Supplier<String> metricsScrape;
  private final RateLimits limits;
  private final TrustedProxies proxies;
  private final Readiness readiness;
  private final MeterRegistry meters;
  private final ClientTelemetry telemetry;
  private final Javalin app;
  // Read by the HTTPS connector factory, which Javalin calls only from start().
  private volatile String host;
  private volatile int port;

  /**
   * @param tls the key store to serve HTTPS with; null serves plain HTTP
   */
  public RestApi(MemoryEngine engine, Authenticator authenticator, RateLimits limits, TrustedProxies proxies, Readiness readiness,
      MeterRegistry meters, Supplier<String> metricsScrape, ClientTelemetry telemetry, KeyStore tls) {
    this.engine = engine;
    this.authenticator = authenticator;
    this.fetcher = new ContextFetcher(engine.retriever(), engine.readPriority());
    this.metricsScrape = metricsScrape;
    this.limits = limits;
    this.proxies = proxies;
    this.readiness = readiness;
    this.meters = meters;
    this.telemetry = telemetry;
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      // Platform threads for REST handlers: a client waiting for context must not queue behind the
      // virtual threads of thousands of stream events. Virtual threads run on a handful of carriers
      // (one per core), and every stream event's SQLite read or model run pins one while it runs;
      // platform threads are scheduled by the OS beside them. Jetty's pool bounds their number.
      config.concurrency.useVirtualThreads = false;
      // Bodies enforces the limit while reading; this covers bodies Javalin reads itself (forms).
      config.http.maxRequestSize = Bodies.MAX_BYTES;
      // Uploads are parsed in memory (the in-memory threshold is above the file limit, so no part
      // is ever written to disk) and Jetty's parser stops at either limit while the body arrives.
      config.jetty.multipartConfig.maxFileSize(MemoryRoutes.MAX_UPLOAD_BYTES, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxTotalRequestSize(Bodies.MAX_BYTES, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxInMemoryFileSize((int) MemoryRoutes.MAX_UPLOAD_BYTES + 1, SizeUnit.BYTES);
      config.jsonMapper(new JavalinJackson(Bodies.MAPPER, true));
      config.jetty.modifyServer(server -> server.setErrorHandler(new EnvelopeErrorHandler()));
      config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new EnvelopeErrorHandler()));
      // With a connector of our own, Javalin adds no plain-HTTP one.
      if (tls != null) config.jetty.addConnector((server, httpConfig) -> HttpsConnector.create(server, httpConfig, tls, host, port));
      routes(config.routes);
    });
  }

  public RestApi start(String host, int port) {
    this.host = host;
    this.port = port;
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }

  private void routes(RoutesConfig app) {
    new HttpMetrics(meters).register(app);
    app.before(ctx -> {
      String path = ctx.path();
      boolean open = path.equals("/health") || path.equals("/ready") || path.equals("/metrics");
      // Refused on every route, before the key check: nothing of a body announced too large is read.
      if (ctx.req().getContentLengthLong() > Bodies.MAX_BYTES) throw Bodies.tooLarge();
      if (open || ctx.method() == HandlerType.OPTIONS) return;
      String peer = proxies.clientOf(ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("Forwarded")),
          Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
      String authorization = ctx.header("Authorization");
      // The refusal budget bounds key lookups for failing clients; a key with an active key's
      // prefix is always looked up, so a valid key is never refused for anyone's failures.
      if (!authenticator.mayBeActiveKey(authorization)) {
        refuseIfLimited(limits.admitPeer(peer, "rest"), "too many refused authentications from this address");
      }
      Caller caller = authenticator.authenticate(authorization).orElseThrow(() -> {
        limits.refusedAuthentication(peer);
        return new ApiError(401, "unauthenticated", "missing, unknown or revoked API key");
      });
      refuseIfLimited(limits.admit(caller, "rest"), null);
      ctx.attribute(CALLER, caller);
    });

    app.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
    app.get("/ready", ctx -> {
      List<String> problems = readiness.problems();
      if (!problems.isEmpty()) throw new ApiError(503, "not_ready", String.join("; ", problems), 1);
      ctx.json(Map.of("status", "ready", "queue_depth", engine.ingest().queueDepth()));
    });
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metricsScrape.get()));

    app.get("/api/v1/auth/whoami", ctx -> {
      Instance i = caller(ctx).instance();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("client_id", i.clientId());
      body.put("instance_id", i.instanceId());
      body.put("relationship_mode", i.mode().wireName());
      ctx.json(body);
    });

    app.post("/v1/conversations/messages", ctx -> {
      Instance instance = caller(ctx).instance();
      RecordRequest r = RecordValidator.validate(instance, recordRequest(instance, Bodies.object(ctx), ctx.header("Idempotency-Key")));
      Recorded rec = engine.ingest().record(r);
      ctx.json(recordedJson(rec));
    });

    app.post("/v1/conversations/messages/batch", ctx -> {
      Instance instance = caller(ctx).instance();
      JsonNode body = Bodies.object(ctx);
      JsonNode messages = body.get("messages");
      if (messages == null || !messages.isArray()) throw new InvalidInputException("messages must be an array");
      if (messages.size() > RecordValidator.MAX_BATCH) throw new InvalidInputException("at most " + RecordValidator.MAX_BATCH + " messages per batch");
      List<Map<String, Object>> results = new ArrayList<>();
      List<RecordRequest> valid = new ArrayList<>();
      List<Integer> positions = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        try {
          JsonNode m = messages.get(i);
          if (!m.isObject()) throw new InvalidInputException("each message must be an object");
          valid.add(RecordValidator.validate(instance, recordRequest(instance, m, null)));
          positions.add(i);
          results.add(null);
        } catch (InvalidInputException e) {
          results.add(Map.of("index", i, "error", e.getMessage(), "status", "failed"));
        }
      }
      List<Recorded> recorded = valid.isEmpty() ? List.of() : engine.ingest().recordAll(valid);
      for (int k = 0; k < recorded.size(); k++) results.set(positions.get(k), recordedJson(recorded.get(k)));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("total", messages.size());
      out.put("succeeded", recorded.size());
      out.put("failed", messages.size() - recorded.size());
      out.put("results", results);
      ctx.json(out);
    });

    app.post("/v1/context/{scope}/fetch", ctx -> {
      Scope scope = Scope.parse(ctx.pathParam("scope"))
          .orElseThrow(() -> new ApiError(404, "not_found", "unknown scope '" + ctx.pathParam("scope") + "'"));
      JsonNode b = Bodies.object(ctx);
      FetchOptions.check(b);
      List<String> queries = Bodies.strings(b, "search_query");
      ContextResult result = fetcher.fetch(caller(ctx).instance(), new ContextFetcher.Request(scope,
          Bodies.string(b, "conversation_id"), Bodies.string(b, "user_id"), Bodies.string(b, "customer_id"), queries,
          Bodies.strings(b, "types"), Bodies.integer(b, "max_results"), Bodies.string(b, "mode"), Bodies.integer(b, "token_budget")));
      Map<String, Object> response = ContextJson.response(result, scope.wireName(), scope == Scope.CLIENT ? 1800 : 300);
      if (scope == Scope.CONVERSATION && Bodies.bool(b, "include_conversation_context", true)) {
        response.put("conversation_context", ConversationContextJson.of(
            engine.compactions().context(caller(ctx).instance().instanceId(), Bodies.string(b, "conversation_id"))));
      }
      ctx.json(response);
    });

    new MemoryRoutes(engine).register(app);
    new CompactionRoutes(engine).register(app);
    new TelemetryRoutes(telemetry).register(app);

    app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.code, e.getMessage(), e.retryAfterSeconds));
    // Javalin's own refusals (body over maxRequestSize, malformed multipart, ...) keep their
    // status; without this mapping the catch-all below would turn them into 500s.
    app.exception(HttpResponseException.class, (e, ctx) ->
        error(ctx, e.getStatus(), e.getStatus() == 413 ? Bodies.tooLarge().code : "http_" + e.getStatus(), e.getMessage(), null));
    app.exception(InvalidInputException.class, (e, ctx) -> error(ctx, 400, "invalid_input", e.getMessage(), null));
    app.exception(NotFoundException.class, (e, ctx) -> error(ctx, 404, "not_found", e.getMessage(), null));
    app.exception(ConflictException.class, (e, ctx) -> {
      ctx.status(409).json(Map.of("detail", Map.of("code", e.code(), "message", e.getMessage())));
    });
    app.exception(QueueFullException.class, (e, ctx) -> error(ctx, 429, "rate_limited", e.getMessage(), e.retryAfterSeconds()));
    // Any store (SQLite or PostgreSQL): nothing was written, the client may retry.
    app.exception(StoreException.class, (e, ctx) -> {
      LOG.error("storage failure on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
      error(ctx, 503, "storage_unavailable", "storage is unavailable; retry later", StoreUnavailableException.RETRY_AFTER_SECONDS);
    });
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
      error(ctx, 500, "internal_error", "internal error", null);
    });
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) error(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path(), null);
    });
    app.error(405, ctx -> error(ctx, 405, "method_not_allowed", "method not allowed", null));
  }

  private static void refuseIfLimited(Admission a, String why) {
    if (a.allowed()) return;
    throw new ApiError(429, "rate_limited", (why != null ? why : "rate limit of the " + a.limit() + " exceeded")
        + "; retry after " + a.retryAfterSeconds() + " s", a.retryAfterSeconds());
  }

  private static RecordRequest recordRequest(Instance instance, JsonNode b, String idempotencyHeader) {
    String ts = Bodies.string(b, "timestamp");
    if (ts == null) ts = Bodies.metadata(b, "metadata").get("timestamp");
    Instant occurred = MemoryRoutes.parseTime("timestamp", ts);
    String key = idempotencyHeader != null ? idempotencyHeader : Bodies.string(b, "idempotency_key");
    return new RecordRequest(instance.instanceId(), Bodies.string(b, "conversation_id"), Bodies.string(b, "user_id"),
        Bodies.string(b, "customer_id"), Bodies.string(b, "session_id"), Bodies.string(b, "role"), "message",
        Bodies.string(b, "content"), Bodies.metadata(b, "metadata"), occurred, key);
  }

  private static Map<String, Object> recordedJson(Recorded rec) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("message_id", rec.messageId());
    out.put("conversation_id", rec.conversationId());
    out.put("session_id", rec.sessionId());
    out.put("recorded_at", Iso.of(rec.recordedAt()));
    out.put("status", rec.duplicate() ? "duplicate" : "queued");
    return out;
  }

  static Caller caller(Context ctx) {
    Caller c = ctx.attribute(CALLER);
    if (c == null) throw new ApiError(401, "unauthenticated", "missing API key");
    return c;
  }

  private static void error(Context ctx, int status, String code, String message, Integer retryAfter) {
    if (retryAfter != null) ctx.header("Retry-After", Integer.toString(retryAfter));
    // The rest of a refused body is never read, so the connection cannot carry another request.
    if (status == 413) ctx.header("Connection", "close");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("detail", message);
    body.put("code", code);
    String correlation = ctx.header("X-Correlation-ID");
    if (correlation != null) body.put("correlation_id", correlation);
    ctx.status(status).json(body);
  }
}
