package dev.synap.server.http;

import dev.synap.core.InvalidInputException;
import dev.synap.core.analytics.Bucket;
import dev.synap.core.analytics.Metric;
import dev.synap.core.analytics.UsageQuery;
import dev.synap.core.control.ControlPlane;
import dev.synap.server.context.Iso;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/analytics/metrics?metric&bucket&start&end[&group_by]} for an instance key with
 * {@code analytics:read}, and the same series for any instance on the admin API.
 */
final class AnalyticsRoutes {
  private final UsageQuery usage;
  private final ControlPlane control;

  AnalyticsRoutes(UsageQuery usage, ControlPlane control) {
    this.usage = usage;
    this.control = control;
  }

  void register(RoutesConfig app) {
    app.get("/v1/analytics/metrics", ctx -> ctx.json(series(ctx, RestApi.caller(ctx).instance().instanceId())));
    app.get("/dashboard/instances/{instance_id}/analytics/metrics", ctx ->
        ctx.json(series(ctx, control.instance(ctx.pathParam("instance_id")).instanceId())));
  }

  private Map<String, Object> series(Context ctx, String instanceId) {
    String metricName = ctx.queryParam("metric");
    if (metricName == null) throw new InvalidInputException("metric is required");
    Metric metric = Metric.parse(metricName);
    Bucket bucket = Bucket.parse(ctx.queryParam("bucket") == null ? "hour" : ctx.queryParam("bucket"));
    Instant end = time(ctx, "end", Instant.now());
    Instant start = time(ctx, "start", end.minus(Duration.ofHours(24)));
    String groupBy = ctx.queryParam("group_by");
    List<UsageQuery.Point> points = usage.series(instanceId, metric, bucket, start.toEpochMilli(), end.toEpochMilli(), groupBy);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instance_id", instanceId);
    out.put("metric", metric.wireName());
    out.put("bucket", bucket.wireName());
    out.put("start", Iso.of(start));
    out.put("end", Iso.of(end));
    out.put("group_by", groupBy);
    out.put("points", points.stream().map(p -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bucket_start", Iso.of(Instant.ofEpochMilli(p.bucketStart())));
      if (groupBy != null) m.put(groupBy + "_id", p.group());
      m.put("count", p.count());
      Map<String, Object> latency = new LinkedHashMap<>();
      latency.put("p50", p.p50());
      latency.put("p95", p.p95());
      latency.put("p99", p.p99());
      m.put("latency_ms", latency);
      return m;
    }).toList());
    out.put("total", points.stream().mapToLong(UsageQuery.Point::count).sum());
    return out;
  }

  private static Instant time(Context ctx, String name, Instant fallback) {
    String v = ctx.queryParam(name);
    return v == null ? fallback : MemoryRoutes.parseTime(name, v);
  }
}
