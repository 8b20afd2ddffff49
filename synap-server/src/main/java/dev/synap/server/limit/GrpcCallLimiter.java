package dev.synap.server.limit;

import dev.synap.server.auth.Caller;
import dev.synap.server.auth.GrpcAuthInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Runs inside the auth interceptor: a new call (a Listen, a telemetry upload) spends one request of the key's budget. */
public final class GrpcCallLimiter implements ServerInterceptor {
  private final RateLimits limits;

  public GrpcCallLimiter(RateLimits limits) {
    this.limits = limits;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Caller caller = GrpcAuthInterceptor.CALLER.get();
    if (caller != null) {
      Admission a = limits.admit(caller, "grpc");
      if (!a.allowed()) {
        call.close(GrpcRefusals.exhausted("rate limit of the " + a.limit() + " exceeded", a), GrpcRefusals.trailers(a));
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }
}
