package dev.synap.sdk;

import java.time.Duration;

/** Resolved client settings (see {@link Synap.Builder}). */
public record SynapConfig(
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
    boolean telemetry) {

  @Override
  public String toString() {
    return "SynapConfig[baseUrl=" + baseUrl + ", grpc=" + grpcHost + ":" + grpcPort + ", tls=" + grpcUseTls + ", telemetry=" + telemetry + "]";
  }
}
