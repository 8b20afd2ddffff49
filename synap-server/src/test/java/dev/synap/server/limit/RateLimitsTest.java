package dev.synap.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.server.auth.Caller;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  final AtomicLong now = new AtomicLong();
  final Caller caller = new Caller(new Instance("inst_0000000000000001", "client_1", RelationshipMode.B2C), "keyhash");

  @Test
  void aRequestTheInstanceLimitRefusesCostsTheKeyNothing() {
    // Key: 3 requests and practically no refill; instance: 1 request, one more per second.
    RateLimits limits = new RateLimits(new RateLimitSettings(0.0001, 3, 1, 1, 0, 0), new SimpleMeterRegistry(), now::get);
    assertThat(limits.admit(caller, "rest").allowed()).isTrue();
    for (int i = 0; i < 5; i++) {
      Admission refused = limits.admit(caller, "rest");
      assertThat(refused.allowed()).isFalse();
      assertThat(refused.limit()).isEqualTo("instance");
    }
    // The key spent one token of three: two more once the instance has room again.
    for (int i = 0; i < 2; i++) {
      now.addAndGet(1_000_000_000L);
      assertThat(limits.admit(caller, "rest").allowed()).as("key request %d", i + 2).isTrue();
    }
    now.addAndGet(1_000_000_000L);
    assertThat(limits.admit(caller, "rest").limit()).isEqualTo("key");
  }
}
