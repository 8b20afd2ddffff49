package dev.synap.sdk;

import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.Tenancy;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real server on loopback with random ports and a temp data folder, plus SDK clients for it. */
final class TestServer implements AutoCloseable {
  final Path dataDir;
  final SynapServer server;
  final String key;

  TestServer(Path dataDir) {
    this(dataDir, null);
  }

  /** A server with its own settings (rate limits, queue bound...). */
  TestServer(ServerConfig config) {
    this.dataDir = config.dataDir();
    this.server = SynapServer.start(config);
    this.key = server.bootstrapKey().orElseThrow().secret();
  }

  private TestServer(Path dataDir, String key) {
    this.dataDir = dataDir;
    this.server = SynapServer.start(ServerConfig.forTests(dataDir));
    this.key = key != null ? key : server.bootstrapKey().orElseThrow().secret();
  }

  /** Stops this server and starts a new one on the same data folder (ports change). */
  TestServer restart() {
    server.close();
    return new TestServer(dataDir, key);
  }

  Synap client() {
    return client(key);
  }

  Synap client(String apiKey) {
    return Synap.builder().apiKey(apiKey).baseUrl("http://127.0.0.1:" + server.httpPort()).grpcHost("127.0.0.1")
        .grpcPort(server.grpcPort()).connectTimeout(Duration.ofSeconds(3)).build();
  }

  /** A second instance on the same server, with its own key. */
  String newInstanceKey(RelationshipMode mode) {
    Tenancy t = server.engine().tenancy();
    return t.createKey(t.createInstance("other", mode).instanceId(), "test").secret();
  }

  /** Waits until every recorded message has been through extraction. */
  /** Waits until every recorded message has been extracted and its memories are searchable. */
  void awaitIngested() throws InterruptedException {
    if (!server.engine().awaitIdle(java.time.Duration.ofSeconds(60))) throw new AssertionError("ingestion did not finish");
  }

  @Override
  public void close() {
    server.close();
  }
}
