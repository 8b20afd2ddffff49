package dev.synap.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine a benchmark ran on can do, measured in the same run: two machines "of the same
 * kind" gave acknowledged-write rates 1.7x apart, and an acknowledged write costs one fsync plus
 * CPU on a shared core. So the header names the CPU model and measures the two costs that decide
 * the figure: a durable 4 KB append (write + fsync in the data folder's file system) and a fixed
 * single-thread CPU task (SHA-256 over 64 MB). A result is then read against its own machine.
 */
public record MachineProfile(
    String cpuModel, int cores, String jvm, double fsyncP50Micros, double fsyncP99Micros, double sha256MbPerS) {

  private static final int FSYNC_SAMPLES = 200;

  /** Measures in {@code dir} (the folder whose file system holds the benchmark's data). */
  public static MachineProfile measure(Path dir) throws IOException {
    Map<String, Object> fsync = fsyncMicros(dir);
    return new MachineProfile(readCpuModel(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + Runtime.version(), (double) fsync.get("p50"), (double) fsync.get("p99"), sha256MbPerSecond());
  }

  private static Map<String, Object> fsyncMicros(Path dir) throws IOException {
    Path file = Files.createTempFile(dir, "fsync-probe", ".bin");
    Percentiles micros = new Percentiles();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer page = ByteBuffer.allocate(4096);
      for (int i = 0; i < FSYNC_SAMPLES; i++) {
        page.clear();
        long t0 = System.nanoTime();
        ch.write(page);
        ch.force(false);
        micros.add((System.nanoTime() - t0) / 1e3);
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return micros.summary();
  }

  private static double sha256MbPerSecond() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] block = new byte[1 << 20];
      for (int i = 0; i < 16; i++) sha.update(block); // warm the intrinsic up
      long t0 = System.nanoTime();
      for (int i = 0; i < 64; i++) sha.update(block);
      sha.digest();
      return Percentiles.round(64 / ((System.nanoTime() - t0) / 1e9));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readCpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      return lines.stream().filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse(System.getProperty("os.arch"));
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }

  /** The JSON form, under the key {@code machine} of every result that carries it. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu_model", cpuModel);
    m.put("cores", cores);
    m.put("jvm", jvm);
    m.put("fsync_4k_us", Map.of("p50", fsyncP50Micros, "p99", fsyncP99Micros));
    m.put("sha256_mb_per_s", sha256MbPerS);
    return m;
  }

  /** One header line for the printed table. */
  public String headline() {
    return String.format("machine: %s, %d cores, %s; fsync 4 KB p50 %.0f us / p99 %.0f us; SHA-256 %.0f MB/s (one thread)",
        cpuModel, cores, jvm, fsyncP50Micros, fsyncP99Micros, sha256MbPerS);
  }
}
