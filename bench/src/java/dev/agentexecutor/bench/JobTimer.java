package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Consumer;
import javax.management.ObjectName;

/**
 * Times in-process jobs one by one, warm: a warm-up of a fixed count of jobs, then more until the
 * JIT compiler has nothing left to do (bounded), then each job timed alone, its clean-up untimed.
 *
 * <p>The JIT condition is what keeps the tail honest on one core: a fixed count of fast jobs ends
 * the warm-up long before C2 has compiled the engine's large methods (seconds each when they inline
 * Jackson and the loop), and a compiler thread on the measured core takes it for a scheduler slice
 * (milliseconds) at a time, which is what a steady service never sees.
 *
 * <p>With {@code -Dbench.engine.diagnose=true} each timed job also records, outside its timed
 * window, whether a garbage collection ran and where its wall time went ({@link SchedStat}).
 */
final class JobTimer {
  private static final boolean DIAGNOSE = Boolean.getBoolean("bench.engine.diagnose");
  private static final boolean PHASES = Boolean.getBoolean("bench.engine.phases");

  /** How long the compiler must stay idle, in consecutive checks one batch of jobs apart. */
  private static final int IDLE_CHECKS = 3;

  private static final Duration BATCH = Duration.ofMillis(100);

  private final Duration maxSettle;

  /**
   * @param maxSettle the longest the warm-up goes on after its count waiting for the JIT (zero: no
   *     waiting)
   */
  JobTimer(Duration maxSettle) {
    this.maxSettle = maxSettle;
  }

  static JobTimer forMode(String mode) {
    return new JobTimer(
        switch (mode) {
          case "full" -> Duration.ofSeconds(20);
          case "quick" -> Duration.ofSeconds(5);
          default -> Duration.ZERO;
        });
  }

  ObjectNode measure(
      String prefix, int warmup, int iterations, Consumer<String> job, Consumer<String> cleanUp) {
    long warmStart = System.nanoTime();
    mark(prefix, "warm-up");
    int warmed = 0;
    for (; warmed < warmup; warmed++) run(prefix + "w" + warmed, job, cleanUp);
    boolean settled = maxSettle.isZero();
    long settleEnd = System.nanoTime() + maxSettle.toNanos();
    for (int idle = 0; !settled && System.nanoTime() < settleEnd; ) {
      long batchEnd = System.nanoTime() + BATCH.toNanos();
      while (System.nanoTime() < batchEnd) run(prefix + "w" + warmed++, job, cleanUp);
      idle = compilerIdle() ? idle + 1 : 0;
      settled = idle >= IDLE_CHECKS;
    }
    double warmSeconds = (System.nanoTime() - warmStart) / 1e9;
    mark(prefix, "timed");

    long[] nanos = new long[iterations];
    String[] ids = new String[iterations];
    for (int i = 0; i < iterations; i++) ids[i] = prefix + i;
    Diagnosis diagnosis = DIAGNOSE ? new Diagnosis(iterations) : null;
    var threadTicks = SchedStat.AVAILABLE ? SchedStat.threadTicks() : null;
    long busy = 0;
    for (int i = 0; i < iterations; i++) {
      if (diagnosis != null) diagnosis.before();
      long start = System.nanoTime();
      job.accept(ids[i]);
      nanos[i] = System.nanoTime() - start;
      if (diagnosis != null) diagnosis.after(i, nanos[i]);
      busy += nanos[i];
      cleanUp.accept(ids[i]);
    }
    mark(prefix, "done");
    if (PHASES) dump(prefix, nanos);
    ObjectNode json = new Stats(nanos, iterations, busy / 1e9).toJson();
    json.put("warmup_jobs_run", warmed);
    json.put("warmup_s", Stats.round(warmSeconds));
    json.put("jit_idle_before_timing", settled);
    // The JVM's own threads on the measured core while the jobs were timed (compilers, GC, ...).
    if (threadTicks != null)
      json.set("jvm_threads_cpu_ms", SchedStat.cpuBetween(threadTicks, SchedStat.threadTicks()));
    if (diagnosis != null) diagnosis.report(json, nanos);
    return json;
  }

  /** With diagnostics, the JVM uptime of each phase, to line up with -XX:+PrintCompilation. */
  private static void mark(String prefix, String phase) {
    if (PHASES)
      System.err.printf(
          "[timer] %d ms %s %s%n", ManagementFactory.getRuntimeMXBean().getUptime(), prefix, phase);
  }

  private static void dump(String prefix, long[] nanos) {
    try {
      var out = new StringBuilder();
      for (long n : nanos) out.append(n).append('\n');
      java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/nanos-" + prefix + ".txt"), out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void run(String jobId, Consumer<String> job, Consumer<String> cleanUp) {
    job.accept(jobId);
    cleanUp.accept(jobId);
  }

  /**
   * Whether no method is being compiled or waiting to be (HotSpot's Compiler.queue diagnostic
   * command); true where it cannot be asked.
   */
  static boolean compilerIdle() {
    try {
      Object queue =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "compilerQueue",
                  new Object[] {null},
                  new String[] {String[].class.getName()});
      // Every compile in progress or queued is a line that starts with its thread or its id.
      return queue
          .toString()
          .lines()
          .noneMatch(line -> line.matches("^(C[12] CompilerThread|JVMCI|\\d).*"));
    } catch (Exception e) {
      return true;
    }
  }

  /** Per-job diagnostics, read outside each job's timed window. */
  private static final class Diagnosis {
    private final long[] quiet;
    private int quietCount;
    private final long[] onCpu;
    private final long[] runQueue;
    private final long allocatedBefore = allocatedBytes();
    private long collections;
    private long[] sched;

    Diagnosis(int iterations) {
      quiet = new long[iterations];
      onCpu = new long[iterations];
      runQueue = new long[iterations];
    }

    void before() {
      collections = collections();
      sched = SchedStat.AVAILABLE ? SchedStat.read() : null;
    }

    void after(int i, long nanos) {
      long[] now = sched == null ? null : SchedStat.read();
      if (now != null) {
        onCpu[i] = now[0] - sched[0];
        runQueue[i] = now[1] - sched[1];
      }
      if (collections() == collections) quiet[quietCount++] = nanos;
    }

    void report(ObjectNode json, long[] nanos) {
      json.put("jobs_with_gc", nanos.length - quietCount);
      json.put(
          "p99_us_without_gc", Stats.round(new Stats(quiet, quietCount, 0).percentileMicros(99)));
      json.put(
          "allocated_kib_per_job",
          Stats.round((allocatedBytes() - allocatedBefore) / 1024.0 / nanos.length));
      if (SchedStat.AVAILABLE)
        json.set("where_time_went", SchedStat.breakdown(nanos, onCpu, runQueue));
    }

    private static long collections() {
      long count = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        count += Math.max(0, gc.getCollectionCount());
      return count;
    }

    /** Bytes allocated by this thread, clean-ups included (-1 where the JVM cannot tell). */
    private static long allocatedBytes() {
      return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
          ? threads.getCurrentThreadAllocatedBytes()
          : -1;
    }
  }
}
