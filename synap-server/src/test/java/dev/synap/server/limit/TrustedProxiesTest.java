package dev.synap.server.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  final TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 192.168.1.1, fd00::/8");

  @Test
  void theClientIsTheRightmostHopThatIsNotATrustedProxy() {
    assertThat(proxies.clientOf("10.0.0.2", List.of(), List.of("198.51.100.7, 192.168.1.1"))).isEqualTo("198.51.100.7");
    assertThat(proxies.clientOf("10.0.0.2", List.of(), List.of("6.6.6.6", "198.51.100.7"))).as("several headers, in order").isEqualTo("198.51.100.7");
    assertThat(proxies.clientOf("10.0.0.2", List.of(), List.of("203.0.113.9:5120"))).isEqualTo("203.0.113.9");
    assertThat(proxies.clientOf("10.0.0.2", List.of(), List.of("10.9.9.9, 10.0.0.7"))).as("only proxies: the nearest named").isEqualTo("10.9.9.9");
    assertThat(proxies.clientOf("10.0.0.2", List.of(), List.of())).as("no header").isEqualTo("10.0.0.2");
  }

  @Test
  void forwardedIsPreferredAndItsQuotingPortsAndBracketsAreRead() {
    assertThat(proxies.clientOf("fd00::1", List.of("for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\""), List.of("6.6.6.6")))
        .isEqualTo("2001:db8:cafe:0:0:0:0:17");
    assertThat(proxies.clientOf("10.0.0.2", List.of("for=unknown"), List.of())).as("an opaque hop keys by its text").isEqualTo("unknown");
  }

  @Test
  void headersFromAnUntrustedConnectionAreIgnored() {
    assertThat(proxies.clientOf("203.0.113.1", List.of("for=1.2.3.4"), List.of("1.2.3.4"))).isEqualTo("203.0.113.1");
    assertThat(TrustedProxies.NONE.clientOf("10.0.0.2", List.of(), List.of("1.2.3.4"))).isEqualTo("10.0.0.2");
    assertThat(TrustedProxies.parse("10.0.0.0/9").clientOf("10.128.0.1", List.of(), List.of("1.2.3.4"))).as("outside the /9").isEqualTo("10.128.0.1");
  }

  @Test
  void entriesThatAreNoAddressOrRangeAreRefusedByName() {
    assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).hasMessageContaining("trusted.proxies").hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> TrustedProxies.parse("proxy.example.com")).hasMessageContaining("proxy.example.com");
  }
}
