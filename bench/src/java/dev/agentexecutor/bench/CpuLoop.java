package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The machine's own tail, for comparison: a loop of pure arithmetic (no allocation, no locks, no
 * memory beyond registers) calibrated to last as long as a job's p50, timed exactly like the jobs
 * (same timer, same core). Whatever tail it has comes from the machine (timer interrupts, the
 * hypervisor, other processes), not from any code: a job as short cannot have a smaller one.
 */
final class CpuLoop {
  private static long sink;

  private CpuLoop() {}

  /** A loop lasting about {@code micros} per run, timed {@code iterations} times. */
  static ObjectNode measure(JobTimer timer, double micros, int iterations) {
    long rounds = calibrate(micros);
    ObjectNode json = timer.measure("cpu-loop-", 1_000, iterations, id -> spin(rounds), id -> {});
    json.put("rounds", rounds);
    return json;
  }

  private static long calibrate(double micros) {
    long rounds = 10_000;
    for (int attempt = 0; attempt < 5; attempt++) {
      for (int i = 0; i < 200; i++) spin(rounds); // compiled before it is timed
      long best = Long.MAX_VALUE;
      for (int i = 0; i < 200; i++) {
        long start = System.nanoTime();
        spin(rounds);
        best = Math.min(best, System.nanoTime() - start);
      }
      rounds = Math.max(1, Math.round(rounds * micros * 1000 / Math.max(1, best)));
    }
    return rounds;
  }

  private static void spin(long rounds) {
    long x = sink;
    for (long i = 0; i < rounds; i++) x = x * 6364136223846793005L + 1442695040888963407L;
    sink = x;
  }
}
