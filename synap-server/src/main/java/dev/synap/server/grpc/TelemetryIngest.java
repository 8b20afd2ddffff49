package dev.synap.server.grpc;

import dev.synap.core.InvalidInputException;
import dev.synap.proto.v1.TelemetryAck;
import dev.synap.proto.v1.TelemetryEvent;
import dev.synap.server.telemetry.ClientTelemetry;
import dev.synap.server.telemetry.TelemetryReport;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code IngestTelemetry} call: events are validated as they arrive and counted when the
 * client half-closes; a bad event or more than {@value TelemetryReport#MAX_EVENTS} events end the
 * call with {@code INVALID_ARGUMENT} and nothing of it is counted (as a refused REST batch).
 *
 * <p>A call is held in memory until the client half-closes, so it is bounded in size and in time:
 * more than {@value #MAX_CALL_BYTES} bytes of events end it with {@code RESOURCE_EXHAUSTED}, and a
 * call still open after the timeout (30 s by default; the official client never uses this RPC,
 * its REST batches take milliseconds) ends with {@code DEADLINE_EXCEEDED}.
 */
final class TelemetryIngest implements StreamObserver<TelemetryEvent> {
  static final int MAX_CALL_BYTES = 1024 * 1024;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final StreamObserver<TelemetryAck> out;
  private final ClientTelemetry telemetry;
  private final List<TelemetryReport> reports = new ArrayList<>();
  private final ScheduledFuture<?> deadline;
  private long bytes;
  private boolean finished;

  /** The caller's instance, read while the call's context is current (construction). */
  private final String instanceId = java.util.Optional.ofNullable(dev.synap.server.auth.GrpcAuthInterceptor.CALLER.get())
      .map(c -> c.instance().instanceId()).orElse(null);

  TelemetryIngest(StreamObserver<TelemetryAck> out, ClientTelemetry telemetry, ScheduledExecutorService timers, Duration timeout) {
    this.out = out;
    this.telemetry = telemetry;
    this.deadline = timers.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void onNext(TelemetryEvent e) {
    if (finished) return;
    bytes += e.getSerializedSize();
    if (bytes > MAX_CALL_BYTES) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription("a telemetry call may carry at most " + MAX_CALL_BYTES / 1024 + " KiB of events"));
      return;
    }
    try {
      if (reports.size() >= TelemetryReport.MAX_EVENTS) throw new InvalidInputException("at most " + TelemetryReport.MAX_EVENTS + " events per call");
      reports.add(new TelemetryReport(e.getEventType(), e.getInstanceId(), e.getClientId(), e.getCorrelationId(),
          e.getTimestampMs() == 0 ? "" : Long.toString(e.getTimestampMs()), e.getLatencyMs(), e.getStatus(), e.getErrorCode(), e.getScope(),
          e.getCacheStatus(), e.getAttempt(), e.getHttpMethod(), e.getHttpPath(), e.getHttpStatusCode(), e.getMetadataMap()));
    } catch (InvalidInputException ex) {
      fail(Status.INVALID_ARGUMENT.withDescription("event " + reports.size() + ": " + ex.getMessage()));
    }
  }

  private synchronized void expire() {
    if (!finished) fail(Status.DEADLINE_EXCEEDED.withDescription("telemetry call still open after its time limit; nothing of it was counted"));
  }

  private void fail(Status status) {
    finished = true;
    deadline.cancel(false);
    reports.clear();
    try {
      out.onError(status.asRuntimeException());
    } catch (RuntimeException ignored) {
      // the peer already cancelled
    }
  }

  @Override
  public synchronized void onError(Throwable t) {
    finished = true;
    deadline.cancel(false);
    reports.clear();
  }

  @Override
  public synchronized void onCompleted() {
    if (finished) return;
    finished = true;
    deadline.cancel(false);
    telemetry.accept("grpc", reports, instanceId);
    out.onNext(TelemetryAck.newBuilder().setStatus("accepted").setEventsReceived(reports.size()).build());
    out.onCompleted();
  }
}
