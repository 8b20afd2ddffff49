package dev.synap.server.http;

import dev.synap.core.MemoryEngine;
import dev.synap.core.retrieve.lucene.InstanceIndex;
import dev.synap.core.tenant.Instance;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code GET /ready} checks: the store answers, its folder takes a durable write (a small
 * file written, forced to disk and removed, so a read-only or full disk shows here before a
 * write is refused), and every instance's search index is open. The answer is kept for a second:
 * the endpoint needs no key, and a flood of probes must not become a flood of fsyncs. For the
 * same reason the answer names what failed but not paths or tenants; the log has the details.
 */
public final class Readiness {
  private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
  private static final long CACHE_NANOS = 1_000_000_000L;
  /** Below this much free space the next checkpoint or index merge may fail. */
  static final long MIN_FREE_BYTES = 16L * 1024 * 1024;

  private final MemoryEngine engine;
  private final Path dataDir;
  private List<String> lastProblems = List.of();
  private long checkedAt;
  private boolean checked;

  public Readiness(MemoryEngine engine, Path dataDir) {
    this.engine = engine;
    this.dataDir = dataDir;
  }

  /** What is wrong, or an empty list when the node can serve reads and writes. */
  public synchronized List<String> problems() {
    long now = System.nanoTime();
    if (checked && now - checkedAt < CACHE_NANOS) return lastProblems;
    lastProblems = check();
    checkedAt = now;
    checked = true;
    return lastProblems;
  }

  private List<String> check() {
    List<String> problems = new ArrayList<>();
    List<Instance> instances = List.of();
    try {
      instances = engine.store().tenants().instances();
    } catch (RuntimeException e) {
      problems.add(problem("store does not answer", e));
    }
    Path probe = dataDir.resolve(".ready-probe");
    try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(new byte[] {1}));
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      problems.add(problem("store folder is not writable", e));
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException | RuntimeException ignored) {
        // reported above when it matters: a probe that could be written can be removed
      }
    }
    try {
      if (Files.getFileStore(dataDir).getUsableSpace() < MIN_FREE_BYTES) problems.add("store disk has less than 16 MB free");
    } catch (IOException e) {
      problems.add(problem("store disk cannot be inspected", e));
    }
    for (Instance i : instances) {
      try {
        InstanceIndex index = engine.index().forInstance(i.instanceId());
        index.size();
        index.view().close();
      } catch (RuntimeException e) {
        problems.add(problem("search index of an instance is not open", new IllegalStateException(i.instanceId() + ": " + e.getMessage(), e)));
        break;
      }
    }
    return List.copyOf(problems);
  }

  private static String problem(String what, Exception cause) {
    LOG.warn("not ready: {}: {}", what, cause.getMessage());
    return what;
  }
}
