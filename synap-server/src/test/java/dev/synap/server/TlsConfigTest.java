package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.synap.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** TLS never fails open: half a TLS configuration refuses to start, and plaintext beyond loopback is said out loud. */
class TlsConfigTest {
  @TempDir Path dir;
  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  final Logger serverLog = (Logger) LoggerFactory.getLogger(SynapServer.class);

  @BeforeEach
  void capture() {
    log.start();
    serverLog.addAppender(log);
  }

  @AfterEach
  void release() {
    serverLog.detachAppender(log);
  }

  private Map<String, String> flags(String... kv) {
    Map<String, String> m = new java.util.HashMap<>(Map.of("data.dir", dir.toString()));
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void aCertificateWithoutAKeyRefusesToStartAndNamesTheMissingKey() {
    assertThatThrownBy(() -> ServerConfig.resolve(flags(), Map.of("SYNAP_TLS_CERT", dir.resolve("cert.pem").toString())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls.key is not set").hasMessageContaining("cert.pem");
    assertThatThrownBy(() -> SynapServer.start(ServerConfig.forTests(dir).withTls(dir.resolve("cert.pem"), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls.key");
  }

  @Test
  void aKeyWithoutACertificateRefusesToStartAndNamesTheMissingKey() {
    assertThatThrownBy(() -> ServerConfig.resolve(flags("tls.key", dir.resolve("key.pem").toString()), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls.cert is not set").hasMessageContaining("key.pem");
  }

  @Test
  void plaintextOnANonLoopbackAddressLogsOneWarning() {
    SynapServer.warnIfPlaintextBeyondLoopback(ServerConfig.resolve(flags("bind.host", "0.0.0.0"), Map.of()));
    SynapServer.warnIfPlaintextBeyondLoopback(ServerConfig.resolve(flags("bind.host", "192.0.2.7"), Map.of()));
    List<ILoggingEvent> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0).getFormattedMessage()).contains("PLAINTEXT on 0.0.0.0").contains("tls.cert");
    assertThat(warnings.get(1).getFormattedMessage()).contains("PLAINTEXT on 192.0.2.7");
  }

  @Test
  void loopbackOrTlsLogsNoWarning() {
    SynapServer.warnIfPlaintextBeyondLoopback(ServerConfig.resolve(flags("bind.host", "127.0.0.1"), Map.of()));
    SynapServer.warnIfPlaintextBeyondLoopback(ServerConfig.resolve(flags("bind.host", "::1"), Map.of()));
    SynapServer.warnIfPlaintextBeyondLoopback(ServerConfig.resolve(flags("bind.host", "localhost"), Map.of()));
    SynapServer.warnIfPlaintextBeyondLoopback(ServerConfig.resolve(
        flags("bind.host", "0.0.0.0", "tls.cert", dir.resolve("c.pem").toString(), "tls.key", dir.resolve("k.pem").toString()), Map.of()));
    assertThat(log.list).noneMatch(e -> e.getLevel() == Level.WARN);
  }
}
