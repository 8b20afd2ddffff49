package dev.synap.server.limit;

import io.grpc.Metadata;
import io.grpc.Status;

/** How a refused gRPC call is closed: RESOURCE_EXHAUSTED plus a {@code retry-after} trailer in whole seconds. */
final class GrpcRefusals {
  static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcRefusals() {}

  static Status exhausted(String why, Admission a) {
    return Status.RESOURCE_EXHAUSTED.withDescription(why + "; retry after " + a.retryAfterSeconds() + " s");
  }

  static Metadata trailers(Admission a) {
    Metadata m = new Metadata();
    m.put(RETRY_AFTER, Integer.toString(a.retryAfterSeconds()));
    return m;
  }
}
