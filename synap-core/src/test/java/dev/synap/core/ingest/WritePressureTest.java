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
}
