package dev.synap.core.analytics;

import dev.synap.core.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What is counted. Wire names are the {@code metric} values of {@code GET /v1/analytics/metrics}. */
public enum Metric {
  /** Every authenticated REST request (with its latency) and gRPC call. */
  API_CALL("api_call"),
  /** Context fetches at any scope (with latency). */
  CONTEXT_FETCH("context_fetch"),
  /** Compactions completed (with their duration). */
  CONTEXT_COMPACT("context_compact"),
  /** Memories committed by extraction or the memories API. */
  MEMORIES_STORED("memories_stored"),
  /** Searches that ran a dense (vector) query. */
  VECTOR_QUERIES("vector_queries"),
  /** Events received on Listen streams. */
  STREAM_EVENTS("stream_events"),
  /** Anticipation-cache hits clients report in telemetry ({@code cache_misses} beside it). */
  CACHE_HITS("cache_hits"),
  CACHE_MISSES("cache_misses");

  private final String wireName;

  Metric(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Metric parse(String s) {
    for (Metric m : values()) if (m.wireName.equals(s)) return m;
    throw new InvalidInputException("unknown metric '" + s + "'; known: "
        + Arrays.stream(values()).map(Metric::wireName).collect(Collectors.joining(", ")));
  }
}
