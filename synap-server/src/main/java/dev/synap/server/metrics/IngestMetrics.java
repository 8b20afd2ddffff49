package dev.synap.server.metrics;

import dev.synap.core.ingest.IngestPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/** Ingestion lag: from a message's acknowledgement to its memories being committed. */
public final class IngestMetrics {
  private IngestMetrics() {}

  public static void bind(IngestPipeline ingest, MeterRegistry meters) {
    Timer lag = Timer.builder("synap.ingest.lag").description("acknowledged message to memories committed")
        .publishPercentiles(0.5, 0.99).register(meters);
    ingest.onProcessed((message, memories) -> lag.record(Duration.between(message.recordedAt(), Instant.now())));
  }
}
