package dev.synap.server.limit;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the calls open at once on one connection (a connection is known by its peer address and
 * port). HTTP/2's own cap ({@code NettyServerBuilder.maxConcurrentCallsPerConnection}) makes a
 * client wait silently for a free slot; this one answers the call beyond the cap with
 * {@code RESOURCE_EXHAUSTED} and a message, before any key lookup.
 */
public final class GrpcConnectionLimiter implements ServerInterceptor {
  private final int maxCalls;
  private final ConcurrentHashMap<SocketAddress, Integer> open = new ConcurrentHashMap<>();

  public GrpcConnectionLimiter(int maxCalls) {
    this.maxCalls = maxCalls;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (peer == null) return next.startCall(call, headers);
    boolean[] admitted = new boolean[1];
    open.compute(peer, (k, n) -> {
      int calls = n == null ? 0 : n;
      if (calls >= maxCalls) return n;
      admitted[0] = true;
      return calls + 1;
    });
    if (!admitted[0]) {
      call.close(Status.RESOURCE_EXHAUSTED.withDescription("at most " + maxCalls + " calls may be open on one connection"
          + " (grpc.max_calls_per_connection); open another connection"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) open.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
    };
    ServerCall.Listener<Q> inner;
    try {
      inner = next.startCall(call, headers);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    // grpc calls exactly one of onComplete / onCancel when a call ends, however it ended.
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(inner) {
      @Override
      public void onComplete() {
        release.run();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        release.run();
        super.onCancel();
      }
    };
  }

  /** Calls open on all connections (for tests and metrics). */
  public int openCalls() {
    return open.values().stream().mapToInt(Integer::intValue).sum();
  }
}
