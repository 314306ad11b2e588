package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.app.Application;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.provider.ModelRouter;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.runner.Backends;
import dev.agentexecutor.runner.JobRunner;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.store.MemoryJobStore;
import dev.agentexecutor.stream.MemoryEventStream;
import dev.agentexecutor.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Engine overhead, in process and warm: {@code runner().execute(job)} of {@code
 * Application.offline} on in-memory backends, one job after another on one thread, each timed
 * alone. The floor is the same run's backend and model work replayed without the engine.
 */
final class EngineBench {
  /** The Python LangGraph engine's cost of a 3-node chain, quoted (it cannot run here). */
  static final double LANGGRAPH_REFERENCE_US = 645;

  static final double TARGET_P50_US = 50;

  private final BenchConfig config;
  private final Settings settings =
      Settings.from(Map.of("LLM_PROVIDER", "scripted", "MAX_STEPS", "1000"));

  private final JobTimer timer;

  EngineBench(BenchConfig config) {
    this.config = config;
    this.timer = JobTimer.forMode(config.mode());
  }

  ObjectNode run() {
    ObjectNode out = Json.object();
    out.put("cpus_visible", Runtime.getRuntime().availableProcessors());
    out.put("target_p50_us", TARGET_P50_US);
    out.put("langgraph_reference_us", LANGGRAPH_REFERENCE_US);
    if (wanted("three_step"))
      out.set("three_step", scenario(Jobs.event(Jobs.threeStep("template")), 1));
    if (wanted("twenty_step_two_subagents"))
      out.set(
          "twenty_step_two_subagents",
          scenario(Jobs.event(Jobs.twentyStepTwoSubagents("template")), 5));
    if (wanted("twenty_step_parallel_subagents"))
      out.set(
          "twenty_step_parallel_subagents",
          scenario(Jobs.event(Jobs.twentyStepParallelSubagents("template")), 5));
    if (wanted("subagent_latency")) out.set("subagent_latency", latency());
    return out;
  }

  /**
   * Whether to run a scenario: all of them, or those named in {@code -Dbench.engine.scenarios=a,b}
   * (for profiling one of them).
   */
  private static boolean wanted(String scenario) {
    String only = System.getProperty("bench.engine.scenarios", "");
    return only.isBlank() || List.of(only.split(",")).contains(scenario);
  }

  /** Model latency in the subagents' calls, so that running them in parallel shows in wall time. */
  static final int SUBAGENT_MODEL_MILLIS = 2;

  /**
   * The twenty-step job with {@link #SUBAGENT_MODEL_MILLIS} per subagent model call, subagents one
   * after the other against both in one reply: wall time per job (the engine's cost is noise here).
   */
  private ObjectNode latency() {
    Job sequential = Jobs.event(Jobs.twentySteps("template", false, SUBAGENT_MODEL_MILLIS));
    Job parallel = Jobs.event(Jobs.twentySteps("template", true, SUBAGENT_MODEL_MILLIS));
    int iterations = Math.max(10, config.engineIterations() / 100);
    List<ObjectNode> sequentialRuns = new ArrayList<>();
    List<ObjectNode> parallelRuns = new ArrayList<>();
    for (int repeat = 0; repeat < config.repeats(); repeat++) {
      sequentialRuns.add(engine(sequential, 10, iterations, repeat));
      parallelRuns.add(engine(parallel, 10, iterations, repeat));
    }
    ObjectNode sequentialRun = Stats.medianRun(sequentialRuns, "p50_us");
    ObjectNode parallelRun = Stats.medianRun(parallelRuns, "p50_us");
    ObjectNode out = Json.object();
    out.put("subagent_model_ms", SUBAGENT_MODEL_MILLIS);
    out.put("subagent_model_calls", 10);
    out.set("sequential", sequentialRun);
    out.set("parallel", parallelRun);
    out.put(
        "ratio_p50",
        Stats.round(
            parallelRun.path("p50_us").asDouble()
                / Math.max(0.01, sequentialRun.path("p50_us").asDouble())));
    return out;
  }

  /**
   * @param cost how much longer than the 3-step job a run is, to keep the time per scenario alike
   */
  private ObjectNode scenario(Job template, int cost) {
    RecordedJob recorded = RecordedJob.record(Jobs.withId(template, "record"), settings);
    int warmup = Math.max(10, config.engineWarmup() / cost);
    int iterations = Math.max(10, config.engineIterations() / cost);
    List<ObjectNode> engineRuns = new ArrayList<>();
    List<ObjectNode> floorRuns = new ArrayList<>();
    for (int repeat = 0; repeat < config.repeats(); repeat++) {
      int thisWarmup = repeat == 0 ? warmup : Math.max(10, warmup / 5);
      engineRuns.add(engine(template, thisWarmup, iterations, repeat));
      floorRuns.add(floor(recorded, thisWarmup, iterations, repeat));
    }
    ObjectNode engine = Stats.medianRun(engineRuns, "p50_us");
    ObjectNode floor = Stats.medianRun(floorRuns, "p50_us");
    ObjectNode out = Json.object();
    out.set("work_per_job", recorded.counts());
    out.put("warmup_jobs", warmup);
    out.set("engine", engine);
    out.set("floor", floor);
    out.put(
        "engine_minus_floor_p50_us",
        Stats.round(engine.path("p50_us").asDouble() - floor.path("p50_us").asDouble()));
    out.put(
        "ratio_p50",
        Stats.round(
            engine.path("p50_us").asDouble() / Math.max(0.01, floor.path("p50_us").asDouble())));
    ObjectNode loop = CpuLoop.measure(timer, engine.path("p50_us").asDouble(), iterations);
    out.set("cpu_loop", loop);
    out.put(
        "cpu_loop_tail_ratio",
        Stats.round(
            loop.path("p99_us").asDouble() / Math.max(0.01, loop.path("p50_us").asDouble())));
    return out;
  }

  /**
   * A fresh application per repeat, so the in-memory backends (results are never dropped) stay
   * small.
   */
  private ObjectNode engine(Job template, int warmup, int iterations, int repeat) {
    try (Application app = Application.offline(settings)) {
      JobRunner runner = app.runner();
      Backends backends = app.backends();
      String prefix = "engine-" + repeat + "-";
      return timer.measure(
          prefix,
          warmup,
          iterations,
          jobId -> {
            Outcome outcome = runner.execute(Jobs.withId(template, jobId));
            if (!(outcome instanceof Outcome.Completed))
              throw new IllegalStateException("job failed: " + outcome);
          },
          jobId -> forget(backends, jobId));
    }
  }

  private ObjectNode floor(RecordedJob recorded, int warmup, int iterations, int repeat) {
    MemoryCheckpointer checkpoints = new MemoryCheckpointer();
    Backends backends =
        new Backends(
            checkpoints,
            new MemoryJobStore(checkpoints),
            new MemoryEventStream(100_000),
            new MemoryResultPublisher());
    ModelClient model = new ModelRouter(settings.model(), new Metrics());
    return timer.measure(
        "floor-" + repeat + "-",
        warmup,
        iterations,
        jobId -> recorded.replay(jobId, backends, model),
        jobId -> forget(backends, jobId));
  }

  private static void forget(Backends backends, String jobId) {
    backends.checkpointer().deleteThread(jobId);
    backends.events().delete(jobId);
    backends.jobs().delete(jobId);
  }
}
