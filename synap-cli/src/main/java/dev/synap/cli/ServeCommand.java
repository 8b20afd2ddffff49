package dev.synap.cli;

import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code synap serve}: runs one node on its configured store until SIGTERM / Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the server (embedded SQLite store in a local folder, or the database store.url names).")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger("synap");

  @Option(names = "--data-dir", description = "Data folder (env SYNAP_DATA_DIR; default ./synap-data).")
  String dataDir;

  @Option(names = "--grpc-port", description = "gRPC port (env SYNAP_GRPC_PORT; default 50051; 0 = any free port).")
  String grpcPort;

  @Option(names = "--http-port", description = "REST port (env SYNAP_HTTP_PORT; default 8080; 0 = any free port).")
  String httpPort;

  @Option(names = "--bind", description = "Address to listen on (env SYNAP_BIND_HOST; default 127.0.0.1).")
  String bind;

  @Option(names = "--mode", description = "Relationship mode of the first instance: b2c or b2b (env SYNAP_RELATIONSHIP_MODE).")
  String mode;

  @Option(names = "--store-url", description = "System of record (env SYNAP_STORE_URL; default: SQLite in the data folder), e.g. jdbc:postgresql://host:5432/synap.")
  String storeUrl;

  @Option(names = "--config", description = "Properties file (env SYNAP_CONFIG; default <data-dir>/synap.properties).")
  String config;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> flags = new HashMap<>();
    flags.put("data.dir", dataDir);
    flags.put("grpc.port", grpcPort);
    flags.put("http.port", httpPort);
    flags.put("bind.host", bind);
    flags.put("relationship.mode", mode);
    flags.put("store.url", storeUrl);
    flags.put("config", config);
    ServerConfig cfg = ServerConfig.resolve(flags, System.getenv());
    SynapServer server = SynapServer.start(cfg);
    server.bootstrapKey().ifPresent(k -> {
      System.out.println("Created instance " + k.info().instanceId() + ". Its API key (shown once, store it now):");
      System.out.println(k.secret());
      System.out.flush();
    });
    LOG.info("synap listening: grpc={}:{} http={}://{}:{} data={}", cfg.bindHost(), server.grpcPort(), cfg.tls() ? "https" : "http",
        cfg.bindHost(), server.httpPort(), cfg.store().isEmbedded() ? cfg.dataDir().toAbsolutePath().normalize() : cfg.store());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down: closing streams and draining work");
      server.close();
      stopped.countDown();
    }, "synap-shutdown"));
    stopped.await();
    return 0;
  }
}
