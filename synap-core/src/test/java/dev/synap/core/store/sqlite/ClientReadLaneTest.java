package dev.synap.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.priority.ReadPriority;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fetch's store reads never queue behind background reads holding every shared connection. */
class ClientReadLaneTest {
  @TempDir Path dir;

  @Test
  void aClientReadGetsAConnectionWhileBackgroundReadsHoldAllSharedOnes() throws Exception {
    try (SqliteDatabase db = new SqliteDatabase(dir.resolve("t.db"), 1)) {
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread background = Thread.ofPlatform().start(() -> db.read(c -> {
        holding.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      }));
      assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

      CompletableFuture<Integer> anotherBackground = CompletableFuture.supplyAsync(() -> db.read(c -> 1));
      ReadPriority priority = new ReadPriority(100);
      CompletableFuture<Integer> client = CompletableFuture.supplyAsync(() -> priority.read(() -> db.read(c -> 2)));
      assertThat(client.get(5, TimeUnit.SECONDS)).as("served from the client lane").isEqualTo(2);
      assertThat(anotherBackground.isDone()).as("the shared lane is still taken").isFalse();

      release.countDown();
      background.join();
      assertThat(anotherBackground.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    }
  }
}
