package dev.synap.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * Resolved client settings (see {@link Synap.Builder}).
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class SynapConfig {
  private final String apiKey;
  private final String baseUrl;
  private final String grpcHost;
  private final int grpcPort;
  private final boolean grpcUseTls;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Duration heartbeatInterval;
  private final Duration heartbeatTimeout;
  private final int maxReconnectAttempts;
  private final int cacheCapacity;
  private final Duration cacheTtl;
  private final Duration cacheMaxAge;
  private final double cacheMinCoverage;
  private final int cacheRecentSlots;
  private final boolean telemetry;

  SynapConfig(
      String apiKey,
      String baseUrl,
      String grpcHost,
      int grpcPort,
      boolean grpcUseTls,
      Duration connectTimeout,
      Duration requestTimeout,
      Duration heartbeatInterval,
      Duration heartbeatTimeout,
      int maxReconnectAttempts,
      int cacheCapacity,
      Duration cacheTtl,
      Duration cacheMaxAge,
      double cacheMinCoverage,
      int cacheRecentSlots,
      boolean telemetry) {
    this.apiKey = apiKey;
    this.baseUrl = baseUrl;
    this.grpcHost = grpcHost;
    this.grpcPort = grpcPort;
    this.grpcUseTls = grpcUseTls;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.heartbeatInterval = heartbeatInterval;
    this.heartbeatTimeout = heartbeatTimeout;
    this.maxReconnectAttempts = maxReconnectAttempts;
    this.cacheCapacity = cacheCapacity;
    this.cacheTtl = cacheTtl;
    this.cacheMaxAge = cacheMaxAge;
    this.cacheMinCoverage = cacheMinCoverage;
    this.cacheRecentSlots = cacheRecentSlots;
    this.telemetry = telemetry;
  }

  public String apiKey() {
    return apiKey;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String grpcHost() {
    return grpcHost;
  }

  public int grpcPort() {
    return grpcPort;
  }

  public boolean grpcUseTls() {
    return grpcUseTls;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public Duration heartbeatTimeout() {
    return heartbeatTimeout;
  }

  public int maxReconnectAttempts() {
    return maxReconnectAttempts;
  }

  public int cacheCapacity() {
    return cacheCapacity;
  }

  public Duration cacheTtl() {
    return cacheTtl;
  }

  public Duration cacheMaxAge() {
    return cacheMaxAge;
  }

  public double cacheMinCoverage() {
    return cacheMinCoverage;
  }

  /** Slots of a ranked cached answer kept for the newest cached memories. */
  public int cacheRecentSlots() {
    return cacheRecentSlots;
  }

  public boolean telemetry() {
    return telemetry;
  }

  @Override
  public String toString() {
    return "SynapConfig[baseUrl=" + baseUrl + ", grpc=" + grpcHost + ":" + grpcPort + ", tls=" + grpcUseTls + ", telemetry=" + telemetry + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SynapConfig o
        && Objects.equals(apiKey, o.apiKey)
        && Objects.equals(baseUrl, o.baseUrl)
        && Objects.equals(grpcHost, o.grpcHost)
        && grpcPort == o.grpcPort
        && grpcUseTls == o.grpcUseTls
        && Objects.equals(connectTimeout, o.connectTimeout)
        && Objects.equals(requestTimeout, o.requestTimeout)
        && Objects.equals(heartbeatInterval, o.heartbeatInterval)
        && Objects.equals(heartbeatTimeout, o.heartbeatTimeout)
        && maxReconnectAttempts == o.maxReconnectAttempts
        && cacheCapacity == o.cacheCapacity
        && Objects.equals(cacheTtl, o.cacheTtl)
        && Objects.equals(cacheMaxAge, o.cacheMaxAge)
        && Double.compare(cacheMinCoverage, o.cacheMinCoverage) == 0
        && cacheRecentSlots == o.cacheRecentSlots
        && telemetry == o.telemetry;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        apiKey,
        baseUrl,
        grpcHost,
        grpcPort,
        grpcUseTls,
        connectTimeout,
        requestTimeout,
        heartbeatInterval,
        heartbeatTimeout,
        maxReconnectAttempts,
        cacheCapacity,
        cacheTtl,
        cacheMaxAge,
        cacheMinCoverage,
        cacheRecentSlots,
        telemetry);
  }
}
