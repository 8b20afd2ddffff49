package dev.synap.core.priority;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

public class ReadPriorityTest {

  /** A client read held open on a thread of its own until {@code release} counts down. */
  public static Thread heldRead(ReadPriority p, CountDownLatch release) throws InterruptedException {
    int before = p.readsInFlight();
    Thread t = Thread.ofPlatform().start(() -> p.read(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    while (p.readsInFlight() == before) Thread.sleep(1);
    return t;
  }

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
    CountDownLatch endFirst = new CountDownLatch(1);
    CountDownLatch endSecond = new CountDownLatch(1);
    Thread first = heldRead(p, endFirst);
    Thread second = heldRead(p, endSecond);
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
    endFirst.countDown();
    first.join();
    assertThat(passed.await(300, TimeUnit.MILLISECONDS)).as("one read is still running").isFalse();
    endSecond.countDown();
    second.join();
    assertThat(passed.await(5, TimeUnit.SECONDS)).as("goes on once the last read is done").isTrue();
    worker.join();
    assertThat(p.readsInFlight()).isZero();
    assertThat(p.yields()).isEqualTo(1);
  }

  @Test
  void underEndlessReadsBackgroundStillGetsOneUnitPerMaxWait() throws InterruptedException {
    ReadPriority p = new ReadPriority(50);
    AtomicLong units = new AtomicLong();
    CountDownLatch end = new CountDownLatch(1);
    Thread never = heldRead(p, end);
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(600)) {
      p.awaitTurn();
      units.incrementAndGet();
    }
    end.countDown();
    never.join();
    // 600 ms at one unit per 50 ms: about 12 units, never zero, never unbounded.
    assertThat(units.get()).isBetween(4L, 13L);
    assertThat(p.yieldedSeconds()).isGreaterThan(0.2);
  }

  @Test
  void onlyTheThreadRunningAClientReadIsInOne() {
    ReadPriority p = new ReadPriority(50);
    assertThat(ReadPriority.inClientRead()).isFalse();
    assertThat(p.read(ReadPriority::inClientRead)).isTrue();
    assertThat(ReadPriority.inClientRead()).isFalse();
    assertThat(p.readsInFlight()).isZero();
  }
}
