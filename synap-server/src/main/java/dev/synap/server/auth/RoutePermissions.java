package dev.synap.server.auth;

import dev.synap.core.control.Permission;
import java.util.Optional;

/**
 * The permission each instance route needs: the one place that says it (README, "Keys and
 * permissions"). Whoami needs none (any valid key may learn who it is). A route not listed here
 * needs {@code memories:read} to read and {@code memories:write} for anything else, so a route
 * added later is never open to a narrower key by accident.
 */
public final class RoutePermissions {
  private RoutePermissions() {}

  /** Empty when the route needs no permission beyond a valid key. */
  public static Optional<Permission> required(String method, String path) {
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (path.equals("/api/v1/auth/whoami")) return Optional.empty();
    if (path.startsWith("/v1/context/")) return Optional.of(Permission.CONTEXT_READ);
    if (path.startsWith("/v1/conversations/") && read
        && (path.endsWith("/compacted") || path.endsWith("/compaction/status") || path.endsWith("/context-for-prompt"))) {
      return Optional.of(Permission.CONTEXT_READ);
    }
    if (path.startsWith("/v1/telemetry/")) return Optional.of(Permission.TELEMETRY_WRITE);
    if (path.startsWith("/v1/analytics/")) return Optional.of(Permission.ANALYTICS_READ);
    if (path.equals("/v1/instance")) return Optional.of(Permission.INSTANCES_READ);
    return Optional.of(read ? Permission.MEMORIES_READ : Permission.MEMORIES_WRITE);
  }

  /** Whether the route changes stored data: refused on an archived (read-only) instance. */
  public static boolean writes(String method, String path) {
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (read) return false;
    // Fetches and telemetry are POSTs that change no memory: an archived instance still serves them.
    return !path.startsWith("/v1/context/") && !path.startsWith("/v1/telemetry/");
  }
}
