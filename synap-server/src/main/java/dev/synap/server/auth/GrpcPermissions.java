package dev.synap.server.auth;

import dev.synap.core.control.Permission;

/** What each RPC needs of a key; a key lacking it gets {@code PERMISSION_DENIED} before the call does any work. */
final class GrpcPermissions {
  private GrpcPermissions() {}

  /** Why the call is refused, or null when the key may make it. */
  static String refusal(String fullMethodName, Caller caller) {
    Permission needed = fullMethodName.endsWith("/IngestTelemetry") ? Permission.TELEMETRY_WRITE : Permission.STREAM;
    if (!caller.allows(needed)) return "this API key lacks the '" + needed.wireName() + "' permission";
    // Listen records events: an archived (read-only) instance takes none.
    if (needed == Permission.STREAM && caller.grant().archived()) return "instance " + caller.instance().instanceId() + " is archived (read-only)";
    return null;
  }
}
