package dev.synap.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time spent by each stage of the pipeline between two snapshots, from the JVM's per-thread
 * CPU clocks, grouped by thread name. Unlike wall-clock latency, CPU time per event hardly moves
 * when other processes share the machine, which is what a capacity model needs. Work done on
 * threads the JVM does not own (the ONNX runtime's own pool, if any) shows only in the process
 * total, as the difference named {@code unattributed}.
 */
public final class CpuByStage {
  /** Thread-name prefixes and the stage they belong to, first match wins. */
  private static final List<Map.Entry<String, String>> STAGES = List.of(
      Map.entry("synap-sqlite-writer", "store_writer"),
      Map.entry("synap-extract", "extraction"),
      Map.entry("synap-indexer", "indexing"),
      Map.entry("synap-index-purge", "indexing"),
      Map.entry("synap-query-embed", "fetch_embedding"),
      Map.entry("synap-compact", "compaction"),
      Map.entry("synap-auto-compaction", "compaction"),
      Map.entry("grpc-", "grpc"),
      Map.entry("synap-grpc", "grpc"),
      Map.entry("JettyServerThreadPool", "http"),
      Map.entry("qtp", "http"),
      Map.entry("HttpClient", "client"),
      Map.entry("ForkJoinPool", "client_and_virtual_threads"),
      Map.entry("GC ", "gc"),
      Map.entry("G1 ", "gc"),
      Map.entry("C1 ", "jit"),
      Map.entry("C2 ", "jit"));

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> cpuByThread;
  private final Map<Long, String> stageByThread;
  private final long processNanos;

  private CpuByStage(Map<Long, Long> cpuByThread, Map<Long, String> stageByThread, long processNanos) {
    this.cpuByThread = cpuByThread;
    this.stageByThread = stageByThread;
    this.processNanos = processNanos;
  }

  public static CpuByStage snapshot() {
    Map<Long, Long> cpu = new TreeMap<>();
    Map<Long, String> stage = new TreeMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) continue;
      long nanos = THREADS.getThreadCpuTime(info.getThreadId());
      if (nanos < 0) continue;
      cpu.put(info.getThreadId(), nanos);
      stage.put(info.getThreadId(), stageOf(info.getThreadName()));
    }
    return new CpuByStage(cpu, stage, processCpuNanos());
  }

  /**
   * CPU microseconds per event spent in each stage since {@code before}, plus {@code total}
   * (the whole process) and {@code unattributed} (the process total minus every thread counted).
   */
  public Map<String, Object> perEventSince(CpuByStage before, long events) {
    Map<String, Long> byStage = new TreeMap<>();
    long counted = 0;
    for (Map.Entry<Long, Long> e : cpuByThread.entrySet()) {
      long delta = e.getValue() - before.cpuByThread.getOrDefault(e.getKey(), 0L);
      byStage.merge(stageByThread.get(e.getKey()), delta, Long::sum);
      counted += delta;
    }
    long total = processNanos - before.processNanos;
    Map<String, Object> out = new LinkedHashMap<>();
    byStage.forEach((stage, nanos) -> out.put(stage, micros(nanos, events)));
    out.put("unattributed", micros(Math.max(0, total - counted), events));
    out.put("total", micros(total, events));
    return out;
  }

  private static double micros(long nanos, long events) {
    return Percentiles.round(nanos / 1e3 / Math.max(1, events));
  }

  private static String stageOf(String threadName) {
    for (Map.Entry<String, String> s : STAGES) {
      if (threadName.startsWith(s.getKey())) return s.getValue();
    }
    return "other";
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
