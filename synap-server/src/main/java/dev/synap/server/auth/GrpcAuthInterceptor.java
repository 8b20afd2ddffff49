package dev.synap.server.auth;

import dev.synap.core.store.StoreException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;

/**
 * Checks the bearer key before a call does any work: a refused key costs one cached hash lookup,
 * which matters because the official client re-opens a refused Listen about twice a second.
 */
public final class GrpcAuthInterceptor implements ServerInterceptor {
  public static final Context.Key<Caller> CALLER = Context.key("synap-caller");
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Authenticator authenticator;

  public GrpcAuthInterceptor(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Optional<Caller> caller;
    try {
      caller = authenticator.authenticate(headers.get(AUTHORIZATION));
    } catch (StoreException e) {
      // The key could not be looked up (database unreachable): a retryable refusal, not UNKNOWN.
      call.close(Status.UNAVAILABLE.withDescription("storage is unavailable; retry later"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (caller.isEmpty()) {
      call.close(Status.UNAUTHENTICATED.withDescription("missing, unknown or revoked API key"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(CALLER, caller.get()), call, headers, next);
  }
}
