package dev.synap.server.grpc;

import dev.synap.core.anticipate.ClientHoldings;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.math.BigInteger;

/**
 * Reads the cache capacity a client states when it opens a stream ({@value #NAME}: how many
 * bundles it keeps), so the server's guess of what the client still holds ({@link ClientHoldings})
 * follows the real cache instead of a default. A client that says nothing (the official one keeps
 * {@value ClientHoldings#DEFAULT_CLIENT_BUNDLES}) gets the default; more than {@value #MAX} counts
 * as {@value #MAX}; a value that is not a positive whole number is refused with
 * {@code INVALID_ARGUMENT} before the call starts.
 */
final class ClientCacheHeader implements ServerInterceptor {
  static final String NAME = "x-synap-cache-bundles";
  static final int MAX = 1_000_000;
  static final Context.Key<Integer> BUNDLES = Context.keyWithDefault("synap-client-cache-bundles", ClientHoldings.DEFAULT_CLIENT_BUNDLES);
  private static final Metadata.Key<String> KEY = Metadata.Key.of(NAME, Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String stated = headers.get(KEY);
    if (stated == null) return next.startCall(call, headers);
    String digits = stated.strip();
    if (!digits.matches("[0-9]{1,64}") || digits.matches("0+")) {
      call.close(Status.INVALID_ARGUMENT.withDescription(NAME + " must be a positive whole number (bundles the client caches)"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(BUNDLES, 
        new BigInteger(digits).min(BigInteger.valueOf(MAX)).intValue()), call, headers, next);
  }
}
