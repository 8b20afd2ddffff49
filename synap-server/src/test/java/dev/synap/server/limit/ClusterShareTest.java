package dev.synap.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * With N live nodes each takes 1/N of a budget (rate and burst), so behind a balancer that spreads
 * requests evenly the cluster admits about the configured budget; when a node leaves, the others'
 * shares grow back.
 */
class ClusterShareTest {
  @Test
  void eachOfThreeNodesAdmitsAThirdOfTheBurstAndRefillsAtAThirdOfTheRate() {
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(30, 30, now::get);
    bucket.share(3);
    int admitted = 0;
    while (bucket.tryTake() == 0) admitted++;
    assertThat(admitted).isEqualTo(10);
    now.addAndGet(1_001_000_000L); // a second (and a hair: floating point) refills rate / 3 = 10 tokens
    admitted = 0;
    while (bucket.tryTake() == 0) admitted++;
    assertThat(admitted).isEqualTo(10);

    bucket.share(1); // the two other nodes left: the whole budget again, refilling at the full rate
    now.addAndGet(1_001_000_000L);
    admitted = 0;
    while (bucket.tryTake() == 0) admitted++;
    assertThat(admitted).isEqualTo(30);
  }
}
