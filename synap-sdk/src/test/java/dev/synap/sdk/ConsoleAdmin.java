package dev.synap.sdk;

import dev.synap.server.SynapServer;

/** The console's admin credential for a test server: a fresh admin key from the control plane, as `synap admin-key create` makes one. */
final class ConsoleAdmin {
  private ConsoleAdmin() {}

  static String key(SynapServer server) {
    return server.engine().control().createAdminKey("test:console", "console-browser-test").secret();
  }
}
