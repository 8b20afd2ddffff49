package dev.synap.integration;

import dev.synap.sdk.ContextNotFoundException;
import dev.synap.sdk.SynapException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integrations' rule for reads: an agent keeps answering when memory is down. A read that
 * fails returns its fallback (empty context), logs one WARN line naming the operation and the
 * error, and counts {@code synap.integration.read.failures} (Prometheus:
 * {@code synap_integration_read_failures_total}) tagged with the integration and the operation.
 * A conversation the platform does not know yet is not a failure: it is empty.
 */
public final class SoftReads {
  private static final Logger LOG = LoggerFactory.getLogger(SoftReads.class);
  public static final String FAILURES = "synap.integration.read.failures";

  private final MeterRegistry meters;
  private final String integration;

  public SoftReads(MeterRegistry meters, String integration) {
    this.meters = meters;
    this.integration = integration;
  }

  public <T> T read(String operation, Supplier<T> call, T fallback) {
    try {
      return call.get();
    } catch (ContextNotFoundException e) {
      return fallback;
    } catch (SynapException | IllegalStateException e) {
      // IllegalStateException: a client already closed by the application during shutdown.
      LOG.warn("synap {}: {} failed, answering without memory: {}", integration, operation, e.toString());
      Counter.builder(FAILURES).description("reads that failed and were answered empty")
          .tag("integration", integration).tag("operation", operation).tag("error", e.getClass().getSimpleName())
          .register(meters).increment();
      return fallback;
    }
  }

  public double failures(String operation) {
    return meters.find(FAILURES).tag("integration", integration).tag("operation", operation).counters().stream()
        .mapToDouble(Counter::count).sum();
  }
}
