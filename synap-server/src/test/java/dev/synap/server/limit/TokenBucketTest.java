package dev.synap.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  final AtomicLong now = new AtomicLong();

  @Test
  void grantsTheBurstThenRefillsAtTheRate() {
    TokenBucket b = new TokenBucket(10, 3, now::get);
    assertThat(b.tryTake()).isZero();
    assertThat(b.tryTake()).isZero();
    assertThat(b.tryTake()).isZero();
    long wait = b.tryTake();
    assertThat(wait).isEqualTo(100_000_000L); // one token every 100 ms at 10/s
    now.addAndGet(wait);
    assertThat(b.tryTake()).isZero();
    assertThat(b.tryTake()).isPositive();
  }

  @Test
  void neverHoldsMoreThanTheBurst() {
    TokenBucket b = new TokenBucket(1000, 2, now::get);
    now.addAndGet(60_000_000_000L);
    assertThat(b.isFull()).isTrue();
    assertThat(b.tryTake()).isZero();
    assertThat(b.tryTake()).isZero();
    assertThat(b.tryTake()).isPositive();
    assertThat(b.isFull()).isFalse();
  }

  @Test
  void waitNanosDoesNotSpend() {
    TokenBucket b = new TokenBucket(1, 1, now::get);
    assertThat(b.waitNanos()).isZero();
    assertThat(b.waitNanos()).isZero();
    assertThat(b.tryTake()).isZero();
    assertThat(b.waitNanos()).isEqualTo(1_000_000_000L);
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
    assertThat(Admission.refused("key", 1).retryAfterSeconds()).isEqualTo(1);
    assertThat(Admission.refused("key", 1_000_000_001L).retryAfterSeconds()).isEqualTo(2);
    assertThat(Admission.refused("key", 3_000_000_000L).retryAfterSeconds()).isEqualTo(3);
  }
}
