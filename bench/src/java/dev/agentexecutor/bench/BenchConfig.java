package dev.agentexecutor.bench;

import java.util.List;

/**
 * The counts of every benchmark: {@link #full()} (the default run, under ten minutes on two cores),
 * {@link #quick()} (about a minute) and {@link #smoke()} (seconds, for the test that keeps the
 * benchmark from rotting).
 */
record BenchConfig(
    String mode,
    int repeats,
    int engineWarmup,
    int engineIterations,
    int durableWarmup,
    List<Integer> durableInFlight,
    int durableJobsPerInFlight,
    int durableMinJobs,
    int ioCountJobs,
    List<Integer> storageSteps,
    int startupRuns,
    List<String> startupVariants,
    int streamEvents,
    int streamRatePerSecond,
    int streamRateEvents) {

  static final List<String> ALL_VARIANTS =
      List.of("default", "serial-gc", "tiered-c1", "appcds", "aot-cache", "aot-cache+serial-gc");

  static BenchConfig full() {
    return new BenchConfig(
        "full",
        3,
        20_000,
        30_000,
        3_000,
        List.of(1, 8, 64),
        40,
        400,
        100,
        List.of(10, 100, 500),
        3,
        ALL_VARIANTS,
        20_000,
        1_000,
        3_000);
  }

  static BenchConfig quick() {
    return new BenchConfig(
        "quick",
        3,
        5_000,
        5_000,
        600,
        List.of(1, 8, 64),
        12,
        150,
        40,
        List.of(10, 100, 500),
        1,
        List.of("default", "aot-cache"),
        5_000,
        1_000,
        1_000);
  }

  static BenchConfig smoke() {
    return new BenchConfig(
        "smoke",
        1,
        50,
        50,
        20,
        List.of(1, 4),
        5,
        10,
        5,
        List.of(2, 4),
        1,
        List.of("default"),
        100,
        1_000,
        100);
  }

  static BenchConfig named(String mode) {
    return switch (mode) {
      case "full" -> full();
      case "quick" -> quick();
      case "smoke" -> smoke();
      default ->
          throw new IllegalArgumentException("unknown mode " + mode + " (full, quick, smoke)");
    };
  }

  /** Jobs measured at one concurrency level: enough for a stable p99 and a few seconds of load. */
  int durableJobs(int inFlight) {
    return Math.max(durableMinJobs, inFlight * durableJobsPerInFlight);
  }
}
