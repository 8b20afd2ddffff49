package dev.synap.server.auth;

import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.ApiKeys;
import dev.synap.core.tenant.Tenancy;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns an {@code Authorization} header value into a caller; the one place both edges check keys. */
public final class Authenticator {
  private final Tenancy tenancy;
  /**
   * Display prefixes ({@code sk_live_} + 6 hex) of the active keys. A peer over its budget of
   * refused authentications may still have a key looked up when the key carries one of these:
   * a valid key always does, and a guessed key matches one in 16.7 million tries, so the budget
   * keeps bounding the lookups of failing peers without refusing anyone's valid key.
   */
  private volatile Set<String> activePrefixes;

  public Authenticator(Tenancy tenancy) {
    this.tenancy = tenancy;
    refreshKeyPrefixes();
  }

  public Optional<Caller> authenticate(String authorizationHeader) {
    String secret = bearer(authorizationHeader);
    if (secret == null) return Optional.empty();
    Optional<Caller> caller = tenancy.authorize(secret).map(g -> new Caller(g.instance(), ApiKeys.hash(secret), g));
    // A key created since the last refresh (through the CLI on the same folder) counts at once.
    if (caller.isPresent() && !activePrefixes.contains(ApiKeys.displayPrefix(secret))) {
      Set<String> grown = new HashSet<>(activePrefixes);
      grown.add(ApiKeys.displayPrefix(secret));
      activePrefixes = Set.copyOf(grown);
    }
    return caller;
  }

  /** Whether this header's key has the prefix of an active key: worth a lookup even for a peer over its refusal budget. */
  public boolean mayBeActiveKey(String authorizationHeader) {
    String secret = bearer(authorizationHeader);
    return secret != null && secret.length() > ApiKeys.PREFIX.length() && activePrefixes.contains(ApiKeys.displayPrefix(secret));
  }

  /** Re-reads the active keys' prefixes (called periodically, beside the revocation check). */
  public void refreshKeyPrefixes() {
    activePrefixes = tenancy.keys(null).stream().filter(ApiKeyInfo::active).map(ApiKeyInfo::prefix).collect(Collectors.toUnmodifiableSet());
  }

  /** Whether this header carries an admin credential's format (never an instance key). */
  public static boolean looksAdmin(String authorizationHeader) {
    String secret = bearer(authorizationHeader);
    return secret != null && secret.startsWith(dev.synap.core.control.ControlPlane.ADMIN_PREFIX);
  }

  public static String bearer(String header) {
    if (header == null) return null;
    String h = header.strip();
    if (h.regionMatches(true, 0, "Bearer ", 0, 7)) return h.substring(7).strip();
    return null;
  }
}
