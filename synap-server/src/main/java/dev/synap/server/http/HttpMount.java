package dev.synap.server.http;

import jakarta.servlet.http.HttpServlet;
import java.util.Objects;

/**
 * A servlet served on the REST port at {@code path} (GET, POST and DELETE) behind the same key
 * check, refusal budget and rate limits as every REST route: how modules the server does not
 * depend on (the MCP endpoint of {@code synap-mcp}) add an endpoint. The launcher passes them to
 * {@link dev.synap.server.SynapServer#start(dev.synap.server.config.ServerConfig, java.util.List)}.
 */
public record HttpMount(String path, HttpServlet servlet) {
  public HttpMount {
    Objects.requireNonNull(path);
    Objects.requireNonNull(servlet);
    if (!path.startsWith("/")) throw new IllegalArgumentException("a mount path starts with '/': " + path);
  }
}
