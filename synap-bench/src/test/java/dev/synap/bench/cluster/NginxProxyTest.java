package dev.synap.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.synap.sdk.ListenCallbacks;
import dev.synap.sdk.RecordMessage;
import dev.synap.sdk.SendMessage;
import dev.synap.sdk.Synap;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated nginx configuration carries both edges: REST through {@code proxy_pass} and the
 * Listen stream through {@code grpc_pass}, with a dead upstream beside the live node (passive
 * failover: calls that meet the dead one go to the next).
 */
class NginxProxyTest {
  @TempDir Path dir;

  @Test
  void restAndTheListenStreamPassThroughNginxPastADeadUpstream() throws Exception {
    boolean installed = NginxProxy.binary().isPresent();
    if (!installed) System.out.println("NginxProxyTest skipped: nginx is not installed (apt-get install nginx-light, as .ci/nginx install does)");
    assumeTrue(installed);
    Path nginxDir = Files.createTempDirectory("synap-nginx");
    try (SynapServer server = SynapServer.start(ServerConfig.forTests(dir))) {
      String key = server.bootstrapKey().orElseThrow().secret();
      int deadGrpc = NginxProxy.freePort();
      int deadHttp = NginxProxy.freePort();
      List<NginxProxy.Upstream> upstreams = List.of(new NginxProxy.Upstream("127.0.0.1", deadGrpc, deadHttp),
          new NginxProxy.Upstream("127.0.0.1", server.grpcPort(), server.httpPort()));
      try (NginxProxy nginx = NginxProxy.start(nginxDir, upstreams);
          Synap synap = Synap.builder().apiKey(key).baseUrl(nginx.httpBase()).grpcHost("127.0.0.1").grpcPort(nginx.grpcPort())
              .connectTimeout(Duration.ofSeconds(5)).build()) {
        String conv = UUID.randomUUID().toString();
        for (int i = 0; i < 4; i++) {
          assertThat(synap.conversation().recordMessage(RecordMessage.user(conv, "rest turn " + i).userId("ada").build()).messageId()).isNotBlank();
        }
        synap.instance().listen(new ListenCallbacks(b -> {}, r -> {}, a -> {}));
        for (int i = 0; i < 20; i++) synap.instance().sendMessage(SendMessage.builder("stream turn " + i).userId("ada").conversationId(conv).build());
        assertThat(synap.instance().flush(Duration.ofSeconds(30))).as("stream events confirmed through nginx; its log:%n%s", nginx.log()).isTrue();
        String instance = server.engine().tenancy().instances().getFirst().instanceId();
        assertThat(server.engine().store().messages().conversation(instance, conv, 100)).hasSize(24);
      }
    } finally {
      dev.synap.bench.TempDirs.delete(nginxDir);
    }
  }
}
