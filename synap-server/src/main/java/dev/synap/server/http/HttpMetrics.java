package dev.synap.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * REST request timing by route template and status ({@code synap.http.requests}), responses of
 * 400 and above by status ({@code synap.http.errors}), and context fetch latency by scope
 * ({@code synap.fetch.latency}). Tags use the route template, never the raw path, so ids in
 * paths cannot grow the registry.
 */
final class HttpMetrics {
  private static final String STARTED = "synap.metrics.started";
  private static final String FETCH_ROUTE = "/v1/context/{scope}/fetch";
  private final MeterRegistry meters;

  HttpMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Must be registered before any other before-handler, so that refused requests are timed too. */
  void register(RoutesConfig app) {
    app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    app.after(this::record);
  }

  private void record(Context ctx) {
    Long started = ctx.attribute(STARTED);
    if (started == null) return;
    long nanos = System.nanoTime() - started;
    String route = route(ctx);
    String status = Integer.toString(ctx.statusCode());
    Timer.builder("synap.http.requests").tags("method", ctx.method().name(), "route", route, "status", status)
        .register(meters).record(nanos, TimeUnit.NANOSECONDS);
    if (ctx.statusCode() >= 400) meters.counter("synap.http.errors", "status", status).increment();
    // Only successful fetches carry a known scope; a refused one may have any text in its path.
    if (route.equals(FETCH_ROUTE) && ctx.statusCode() == 200) {
      Timer.builder("synap.fetch.latency").tag("scope", ctx.pathParam("scope")).publishPercentiles(0.5, 0.99)
          .register(meters).record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private static String route(Context ctx) {
    try {
      Endpoint matched = ctx.endpoints().lastHttpEndpoint();
      return matched != null && matched.path.startsWith("/") ? matched.path : "unmatched";
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }
}
