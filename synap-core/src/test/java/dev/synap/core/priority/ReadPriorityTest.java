package dev.synap.core.priority;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadPriorityTest {

  @Test
  void withNoReadInFlightBackgroundWorkGoesOnAtOnce() throws InterruptedException {
    ReadPriority p = new ReadPriority(10_000);
    long t0 = System.nanoTime();
    for (int i = 0; i < 1_000; i++) p.awaitTurn();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1_000);
    assertThat(p.yields()).isZero();
  }

  @Test
  void backgroundWorkWaitsUntilTheReadsAreDone() throws InterruptedException {
    ReadPriority p = new ReadPriority(60_000);
    ReadPriority.Read first = p.reading();
    ReadPriority.Read second = p.reading();
    CountDownLatch passed = new CountDownLatch(1);
    Thread worker = Thread.ofPlatform().start(() -> {
      try {
        p.awaitTurn();
        passed.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(passed.await(300, TimeUnit.MILLISECONDS)).as("waits while two reads run").isFalse();
    first.close();
    assertThat(passed.await(300, TimeUnit.MILLISECONDS)).as("one read is still running").isFalse();
    second.close();
    assertThat(passed.await(5, TimeUnit.SECONDS)).as("goes on once the last read is done").isTrue();
    worker.join();
    assertThat(p.readsInFlight()).isZero();
    assertThat(p.yields()).isEqualTo(1);
  }

  @Test
  void underEndlessReadsBackgroundStillGetsOneUnitPerMaxWait() throws InterruptedException {
    ReadPriority p = new ReadPriority(50);
    AtomicLong units = new AtomicLong();
    try (ReadPriority.Read never = p.reading()) {
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(600)) {
        p.awaitTurn();
        units.incrementAndGet();
      }
    }
    // 600 ms at one unit per 50 ms: about 12 units, never zero, never unbounded.
    assertThat(units.get()).isBetween(4L, 13L);
    assertThat(p.yieldedSeconds()).isGreaterThan(0.2);
  }
}
