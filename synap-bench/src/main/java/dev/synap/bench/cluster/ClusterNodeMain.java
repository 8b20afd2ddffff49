package dev.synap.bench.cluster;

import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One server node as {@link LocalCluster} starts it: what {@code synap serve} does, configured by
 * the environment alone ({@code SYNAP_*}), so the launcher needs only this module's class path
 * (the CLI module depends on this one, not the other way round). Prints the first key as serve
 * does, then one line with the ports.
 */
public final class ClusterNodeMain {
  private ClusterNodeMain() {}

  public static void main(String[] args) throws InterruptedException {
    ServerConfig cfg = ServerConfig.resolve(Map.of(), System.getenv());
    SynapServer server = SynapServer.start(cfg);
    server.bootstrapKey().ifPresent(k -> System.out.println(LocalCluster.KEY_LINE + k.secret()));
    System.out.println("node " + cfg.nodeId() + " listening: grpc=" + server.grpcPort() + " http=" + server.httpPort());
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "synap-shutdown"));
    stopped.await();
  }
}
