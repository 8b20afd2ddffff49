package dev.synap.server.limit;

import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Outermost gRPC interceptor: turns a peer away before the key check once it has used its budget
 * of refused authentications, and counts the refusals the auth interceptor inside it produces
 * (seen as calls closed with {@code UNAUTHENTICATED}).
 */
public final class GrpcRefusalLimiter implements ServerInterceptor {
  private final RateLimits limits;

  public GrpcRefusalLimiter(RateLimits limits) {
    this.limits = limits;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String peer = peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    Admission a = limits.admitPeer(peer, "grpc");
    if (!a.allowed()) {
      call.close(GrpcRefusals.exhausted("too many refused authentications from this address", a), GrpcRefusals.trailers(a));
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (status.getCode() == Status.Code.UNAUTHENTICATED) limits.refusedAuthentication(peer);
        super.close(status, trailers);
      }
    }, headers);
  }

  static String peer(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress() : null;
  }
}
