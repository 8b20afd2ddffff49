package dev.synap.server.auth;

import dev.synap.core.tenant.ApiKeys;
import dev.synap.core.tenant.Tenancy;
import java.util.Optional;

/** Turns an {@code Authorization} header value into a caller; the one place both edges check keys. */
public final class Authenticator {
  private final Tenancy tenancy;

  public Authenticator(Tenancy tenancy) {
    this.tenancy = tenancy;
  }

  public Optional<Caller> authenticate(String authorizationHeader) {
    String secret = bearer(authorizationHeader);
    if (secret == null) return Optional.empty();
    return tenancy.authenticate(secret).map(i -> new Caller(i, ApiKeys.hash(secret)));
  }

  static String bearer(String header) {
    if (header == null) return null;
    String h = header.strip();
    if (h.regionMatches(true, 0, "Bearer ", 0, 7)) return h.substring(7).strip();
    return null;
  }
}
