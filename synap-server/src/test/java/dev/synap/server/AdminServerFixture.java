package dev.synap.server;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the control-plane tests share: a real server on a temporary data folder, its admin API as
 * the deployment's admin calls it, and a gRPC channel to it; each test gets its own. A test may
 * close {@link #rs} itself (a restart) and set it to null.
 */
abstract class AdminServerFixture {
  @TempDir Path dir;
  RunningServer rs;
  AdminApi admin;
  ManagedChannel channel;

  @BeforeEach
  void start() {
    rs = new RunningServer(dir);
    admin = new AdminApi(rs);
    channel = rs.channel();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    if (rs != null) rs.close();
  }
}
