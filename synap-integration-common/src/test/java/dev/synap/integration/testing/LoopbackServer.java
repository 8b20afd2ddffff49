package dev.synap.integration.testing;

import dev.synap.sdk.Synap;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server on loopback (random ports, a temporary data folder) and SDK clients for it: the
 * fixture every integration module's tests share (this module's test jar).
 */
public final class LoopbackServer implements AutoCloseable {
  private final SynapServer server;
  private final String key;

  public LoopbackServer(Path dataDir) {
    this.server = SynapServer.start(ServerConfig.forTests(dataDir));
    this.key = server.bootstrapKey().orElseThrow().secret();
  }

  public String key() {
    return key;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.httpPort();
  }

  public int grpcPort() {
    return server.grpcPort();
  }

  public SynapServer server() {
    return server;
  }

  public Synap client() {
    return client(key);
  }

  public Synap client(String apiKey) {
    return Synap.builder().apiKey(apiKey).baseUrl(baseUrl()).grpcHost("127.0.0.1").grpcPort(grpcPort())
        // Generous: the first Listen connection loads gRPC and Netty, seconds on a cold JVM on a busy machine.
        .connectTimeout(Duration.ofSeconds(30)).build();
  }

  /** Waits until every recorded message was extracted and its memories are searchable. */
  public void awaitIngested() throws InterruptedException {
    if (!server.engine().awaitIdle(Duration.ofSeconds(60))) throw new AssertionError("ingestion did not finish");
  }

  @Override
  public void close() {
    server.close();
  }
}
