package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gRPC and REST over TLS with a self-signed certificate made by keytool at test time. */
class TlsTest {
  @TempDir Path dir;

  @Test
  void bothPortsServeTlsWithTheSamePemFiles() throws Exception {
    Path keystore = dir.resolve("self.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "synap", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate cert = ks.getCertificate("synap");
    Path certPem = dir.resolve("cert.pem");
    Path keyPem = dir.resolve("key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", ks.getKey("synap", "changeit".toCharArray()).getEncoded()));

    try (RunningServer rs = new RunningServer(ServerConfig.forTests(dir.resolve("data")).withTls(certPem, keyPem))) {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("synap", cert);
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      String base = "https://127.0.0.1:" + rs.server.httpPort();
      try (HttpClient https = HttpClient.newBuilder().sslContext(ssl).build()) {
        HttpResponse<String> whoami = https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/whoami"))
            .header("Authorization", "Bearer " + rs.key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).contains("instance_id");
      }
      try (HttpClient untrusting = HttpClient.newHttpClient()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
            HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
      }
      try (HttpClient plain = HttpClient.newHttpClient()) {
        HttpResponse<String> r = null;
        try {
          r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException expected) {
          // the TLS port may just drop a plaintext request
        }
        if (r != null) assertThat(r.statusCode()).as("no plaintext service on the TLS port").isNotEqualTo(200);
      }

      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", rs.server.grpcPort())
          .sslContext(GrpcSslContexts.forClient().trustManager(certPem.toFile()).build()).build();
      try {
        RunningServer.Stream s = rs.new Stream(channel, rs.key);
        s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(5)).build());
        StreamResponse pong = s.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 5000);
        assertThat(pong).isNotNull();
        assertThat(pong.getHeartbeatPong().getTimestampMs()).isEqualTo(5);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
