package dev.synap.sdk;

import dev.synap.server.SynapServer;

/** The console's admin credential for a test server; null while the server has none to offer. */
final class ConsoleAdmin {
  private ConsoleAdmin() {}

  static String key(SynapServer server) {
    return null; // the admin credential arrives with the control plane (issue 15)
  }
}
