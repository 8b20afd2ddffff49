package dev.synap.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WritePressureTest {

  @Test
  void aBurstIsBusyAndSilenceIsNot() throws InterruptedException {
    WritePressure p = new WritePressure(400);
    assertThat(p.busy()).isFalse();
    long end = System.nanoTime() + 400_000_000L;
    while (System.nanoTime() < end) {
      p.recorded(10); // about 10 per millisecond: far above 400 per second
      Thread.sleep(1);
    }
    assertThat(p.busy()).isTrue();
    assertThat(p.ratePerSecond()).isGreaterThan(400);
    Thread.sleep(600); // more than two windows without a write
    assertThat(p.busy()).isFalse();
  }

  @Test
  void aSteadyLowRateIsNotBusy() throws InterruptedException {
    WritePressure p = new WritePressure(400);
    for (int i = 0; i < 60; i++) {
      p.recorded(1); // about 100 per second
      Thread.sleep(10);
      assertThat(p.busy()).isFalse();
    }
  }

  @Test
  void backgroundWaitsOutABurstButNeverLongerThanItsBound() throws InterruptedException {
    WritePressure p = new WritePressure(400);
    assertThat(p.awaitQuiet(1_000_000_000L)).isZero(); // quiet: no wait at all
    Thread burst = Thread.ofPlatform().start(() -> {
      long end = System.nanoTime() + 700_000_000L;
      while (System.nanoTime() < end) {
        p.recorded(10);
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    Thread.sleep(300);
    assertThat(p.busy()).isTrue();
    long bounded = p.awaitQuiet(100_000_000L);
    assertThat(bounded).isBetween(100_000_000L, 600_000_000L); // waited its bound while the burst went on
    long untilQuiet = p.awaitQuiet(30_000_000_000L);
    burst.join();
    // Returned once the burst ended (two quiet windows at most), far before the 30 s bound.
    assertThat(untilQuiet).isPositive().isLessThan(5_000_000_000L);
    assertThat(p.busy()).isFalse();
  }

  @Test
  void manyWritesWaitingAtOnceAreABurstEvenAtALowRate() throws InterruptedException {
    WritePressure p = new WritePressure(400);
    for (int i = 0; i < WritePressure.BUSY_IN_FLIGHT - 1; i++) p.appending();
    assertThat(p.busy()).isFalse(); // a few concurrent clients are not a burst
    p.appending();
    assertThat(p.busy()).isTrue(); // no write recorded yet: the rate is zero
    for (int i = 0; i < WritePressure.BUSY_IN_FLIGHT; i++) p.appended();
    Thread.sleep(300);
    assertThat(p.busy()).isFalse();
  }
}
