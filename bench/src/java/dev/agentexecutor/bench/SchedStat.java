package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Where a timed job's wall time went on Linux, from the calling thread's {@code
 * /proc/thread-self/schedstat}: on the CPU, waiting in the run queue for a CPU (preempted by
 * another thread or process on the same core) and the rest, off the CPU (blocked: on a lock, a
 * hand-off to another thread, a safepoint). It tells a tail that the engine causes from one the
 * machine causes.
 */
final class SchedStat {
  private static final Path FILE = Path.of("/proc/thread-self/schedstat");
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Whether the kernel reports it; elsewhere the breakdown is left out. */
  static final boolean AVAILABLE = read() != null;

  private SchedStat() {}

  /**
   * {on-CPU ns, run-queue wait ns} of this thread so far, or null. The kernel's own on-CPU figure
   * in that file lags by up to a scheduler tick, so that one comes from the thread's CPU clock.
   */
  static long[] read() {
    try {
      String[] fields =
          new String(Files.readAllBytes(FILE), StandardCharsets.US_ASCII).trim().split(" ");
      return new long[] {THREADS.getCurrentThreadCpuTime(), Long.parseLong(fields[1])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The mean breakdown of the slowest 1% of jobs and of the jobs around the median, from each job's
   * wall, on-CPU and run-queue nanoseconds.
   */
  static ObjectNode breakdown(long[] wall, long[] onCpu, long[] waiting) {
    Integer[] order = IntStream.range(0, wall.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingLong(i -> wall[i]));
    int tail = Math.max(1, wall.length / 100);
    ObjectNode out = Json.object();
    out.set("slowest_1pct", mean(order, wall.length - tail, wall.length, wall, onCpu, waiting));
    int middle = wall.length / 2;
    out.set(
        "around_p50",
        mean(
            order,
            Math.max(0, middle - tail / 2),
            Math.min(wall.length, middle + tail / 2 + 1),
            wall,
            onCpu,
            waiting));
    return out;
  }

  private static ObjectNode mean(
      Integer[] order, int from, int to, long[] wall, long[] onCpu, long[] waiting) {
    double w = 0;
    double c = 0;
    double q = 0;
    for (int k = from; k < to; k++) {
      w += wall[order[k]];
      c += onCpu[order[k]];
      q += waiting[order[k]];
    }
    int n = to - from;
    return Json.object()
        .put("jobs", n)
        .put("wall_us", Stats.round(w / n / 1000))
        .put("on_cpu_us", Stats.round(c / n / 1000))
        .put("run_queue_us", Stats.round(q / n / 1000))
        .put("off_cpu_us", Stats.round(Math.max(0, w - c - q) / n / 1000));
  }

  /**
   * CPU time of every thread of this JVM so far, in clock ticks, by thread name (the kernel's
   * names: Java threads and the JVM's own, such as "C2 CompilerThre" and "GC Thread#0"), so that
   * the JVM's other work on a pinned core shows beside the measured thread's.
   */
  static java.util.Map<String, Long> threadTicks() {
    java.util.Map<String, Long> ticks = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String comm = Files.readString(task.resolve("comm")).trim();
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
          ticks.merge(comm.replaceAll("[0-9]+$", "#"), used, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return ticks;
    }
    return ticks;
  }

  /** Milliseconds of CPU each thread group used between two {@link #threadTicks()} readings. */
  static ObjectNode cpuBetween(
      java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
    ObjectNode out = Json.object();
    after.forEach(
        (name, ticks) -> {
          long used = ticks - before.getOrDefault(name, 0L);
          if (used > 0) out.put(name, used * 10); // USER_HZ is 100 on Linux
        });
    return out;
  }
}
