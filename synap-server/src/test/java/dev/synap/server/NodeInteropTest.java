package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client written in another language from the official .proto alone (Node.js, grpc-js,
 * interop/node/listen.mjs) records over REST and receives a pushed bundle over Listen.
 * .ci/run installs its packages; without Node.js the test is skipped and says so.
 */
class NodeInteropTest {
  @TempDir Path dir;

  @Test
  void nodeClientFromTheProtoAloneRecordsAndReceivesABundle() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path script = root.resolve("interop/node/listen.mjs");
    assumeTrue(Files.isDirectory(root.resolve("interop/node/node_modules")), "run `npm ci` in interop/node (done by .ci/run)");
    assumeTrue(new ProcessBuilder("node", "--version").start().waitFor() == 0, "node is not installed");
    try (RunningServer rs = new RunningServer(dir)) {
      Process p = new ProcessBuilder("node", script.toString(), root.resolve("synap-proto/src/main/proto/synap_service.proto").toString(),
          "http://127.0.0.1:" + rs.server.httpPort(), "127.0.0.1:" + rs.server.grpcPort(), rs.key)
          .redirectErrorStream(true).start();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("\"bundle_type\":\"anticipation\"").contains("\"user\":\"node-user\"").contains("Kiwi");
    }
  }
}
