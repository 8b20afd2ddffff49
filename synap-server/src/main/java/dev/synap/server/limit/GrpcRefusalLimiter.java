package dev.synap.server.limit;

import dev.synap.server.auth.Authenticator;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Outermost gRPC interceptor: turns a client away before the key check once it has used its
 * budget of refused authentications, unless its key has the prefix of an active key (a valid key
 * is never refused for failures, its own or another client's), and counts the refusals the auth
 * interceptor inside it produces (seen as calls closed with {@code UNAUTHENTICATED}). The client
 * is the connection's address, or the forwarded one when it comes through a trusted proxy.
 */
public final class GrpcRefusalLimiter implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> FORWARDED = Metadata.Key.of("forwarded", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> X_FORWARDED_FOR = Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);

  private final RateLimits limits;
  private final Authenticator authenticator;
  private final TrustedProxies proxies;

  public GrpcRefusalLimiter(RateLimits limits, Authenticator authenticator, TrustedProxies proxies) {
    this.limits = limits;
    this.authenticator = authenticator;
    this.proxies = proxies;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String peer = proxies.clientOf(peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)), all(headers, FORWARDED),
        all(headers, X_FORWARDED_FOR));
    if (!authenticator.mayBeActiveKey(headers.get(AUTHORIZATION))) {
      Admission a = limits.admitPeer(peer, "grpc");
      if (!a.allowed()) {
        call.close(GrpcRefusals.exhausted("too many refused authentications from this address", a), GrpcRefusals.trailers(a));
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (status.getCode() == Status.Code.UNAUTHENTICATED) limits.refusedAuthentication(peer);
        super.close(status, trailers);
      }
    }, headers);
  }

  private static List<String> all(Metadata headers, Metadata.Key<String> key) {
    Iterable<String> values = headers.getAll(key);
    if (values == null) return List.of();
    List<String> out = new java.util.ArrayList<>();
    values.forEach(out::add);
    return out;
  }

  static String peer(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress() : null;
  }
}
