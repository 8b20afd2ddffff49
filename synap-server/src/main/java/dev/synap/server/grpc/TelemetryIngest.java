package dev.synap.server.grpc;

import dev.synap.core.InvalidInputException;
import dev.synap.proto.v1.TelemetryAck;
import dev.synap.proto.v1.TelemetryEvent;
import dev.synap.server.telemetry.ClientTelemetry;
import dev.synap.server.telemetry.TelemetryReport;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code IngestTelemetry} call: events are validated as they arrive and counted when the
 * client half-closes; a bad event or more than {@value TelemetryReport#MAX_EVENTS} events end the
 * call with {@code INVALID_ARGUMENT} and nothing of it is counted (as a refused REST batch).
 */
final class TelemetryIngest implements StreamObserver<TelemetryEvent> {
  private final StreamObserver<TelemetryAck> out;
  private final ClientTelemetry telemetry;
  private final List<TelemetryReport> reports = new ArrayList<>();
  private boolean failed;

  TelemetryIngest(StreamObserver<TelemetryAck> out, ClientTelemetry telemetry) {
    this.out = out;
    this.telemetry = telemetry;
  }

  @Override
  public void onNext(TelemetryEvent e) {
    if (failed) return;
    try {
      if (reports.size() >= TelemetryReport.MAX_EVENTS) throw new InvalidInputException("at most " + TelemetryReport.MAX_EVENTS + " events per call");
      reports.add(new TelemetryReport(e.getEventType(), e.getInstanceId(), e.getClientId(), e.getCorrelationId(),
          e.getTimestampMs() == 0 ? "" : Long.toString(e.getTimestampMs()), e.getLatencyMs(), e.getStatus(), e.getErrorCode(), e.getScope(),
          e.getCacheStatus(), e.getAttempt(), e.getHttpMethod(), e.getHttpPath(), e.getHttpStatusCode(), e.getMetadataMap()));
    } catch (InvalidInputException ex) {
      failed = true;
      int index = reports.size();
      reports.clear();
      out.onError(Status.INVALID_ARGUMENT.withDescription("event " + index + ": " + ex.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void onError(Throwable t) {
    reports.clear();
  }

  @Override
  public void onCompleted() {
    if (failed) return;
    telemetry.accept("grpc", reports);
    out.onNext(TelemetryAck.newBuilder().setStatus("accepted").setEventsReceived(reports.size()).build());
    out.onCompleted();
  }
}
