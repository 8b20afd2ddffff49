package dev.synap.cli;

import dev.synap.mcp.KeyedClients;
import dev.synap.mcp.SynapMcpServer;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import dev.synap.server.http.HttpMount;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the server with the MCP Streamable HTTP endpoint at {@code /mcp}. Its tools use SDK
 * clients of this very server (per bearer key), reached on the bind address (loopback when the
 * server binds every address). Not mounted with TLS on: those clients would have to trust the
 * server's certificate; behind a TLS-terminating proxy (TLS off here) it is served.
 */
final class McpEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("synap");
  private final ServerConfig config;
  private final AtomicReference<SynapServer> server = new AtomicReference<>();
  private final KeyedClients clients = new KeyedClients(this::target);

  McpEndpoint(ServerConfig config) {
    this.config = config;
  }

  SynapServer start() {
    List<HttpMount> mounts = List.of();
    if (config.tls()) LOG.info("MCP over HTTP (/mcp) is off while the server serves TLS itself; use ./synap mcp (stdio)");
    else mounts = List.of(new HttpMount("/mcp", SynapMcpServer.streamableHttp(clients)));
    server.set(SynapServer.start(config, mounts));
    return server.get();
  }

  private KeyedClients.Target target() {
    String host = config.bindHost();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = "127.0.0.1";
    String urlHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return new KeyedClients.Target("http://" + urlHost + ":" + server.get().httpPort(), host, server.get().grpcPort());
  }

  @Override
  public void close() {
    clients.close();
  }
}
