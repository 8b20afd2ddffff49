package dev.synap.sdk;

import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.nio.file.Path;

/** A server in its own JVM for {@link ServerKillNineTest}: prints READY (and the first key) and runs until killed. */
public final class ServerChild {
  public static void main(String[] args) throws InterruptedException {
    SynapServer server = SynapServer.start(ServerConfig.forTests(Path.of(args[0])).withPorts(Integer.parseInt(args[1]), Integer.parseInt(args[2])));
    System.out.println("READY " + server.bootstrapKey().map(k -> k.secret()).orElse("-"));
    System.out.flush();
    Thread.currentThread().join();
  }
}
