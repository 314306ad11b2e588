package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The Markdown results table: every area with its result, its same-run baseline and its target. */
final class ReportTable {
  private final StringBuilder out = new StringBuilder();

  private ReportTable() {}

  static String markdown(JsonNode report) {
    ReportTable table = new ReportTable();
    JsonNode machine = report.path("machine");
    table.out.append(
        String.format(
            Locale.ROOT,
            "Run %s (%s mode) on %s, %d cores, %s, %s; PostgreSQL %s, Redis %s, NATS %s.%n%n",
            report.path("timestamp").asText(),
            mode(report.path("results")),
            machine.path("cpu_model").asText(),
            machine.path("nproc").asInt(),
            machine.path("memory").asText(),
            machine.path("jdk").asText(),
            machine.path("postgresql").asText(),
            machine.path("redis").asText(),
            machine.path("nats").asText()));
    table.out.append(
        "| Area | Measurement | Result | Baseline (same run) | Ratio | Target | Met |\n");
    table.out.append("| --- | --- | --- | --- | --- | --- | --- |\n");
    JsonNode results = report.path("results");
    table.engine(results.path("engine"));
    table.langgraph4j(results.path("langgraph4j"), results.path("engine"));
    table.durable(results.path("durable"));
    table.storage(results.path("storage"));
    table.startup(results.path("startup"), results.path("durable"));
    table.streaming(results.path("streaming"));
    table.out.append(
        "\nMedian of repeated runs (spread in the JSON); µs = microseconds. Raw results: bench/results/latest.json.\n");
    return table.out.toString();
  }

  private static String mode(JsonNode results) {
    for (JsonNode area : results) if (area.has("mode")) return area.path("mode").asText();
    return "?";
  }

  private void row(
      String area,
      String what,
      String result,
      String baseline,
      String ratio,
      String target,
      String met) {
    out.append("| ")
        .append(String.join(" | ", area, what, result, baseline, ratio, target, met))
        .append(" |\n");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String met(boolean ok) {
    return ok ? "yes" : "**no**";
  }

  /** The engine's tail target: p99 at most this many times p50 (issue 11, "Steady tails"). */
  static final double TAIL_TARGET = 3;

  private static boolean steadyTail(JsonNode run) {
    return run.path("p99_us").asDouble() <= TAIL_TARGET * run.path("p50_us").asDouble();
  }

  /** LangGraph4j's prebuilt AgentExecutor on the 3-step job, beside the engine's row. */
  private void langgraph4j(JsonNode langgraph4j, JsonNode engine) {
    if (langgraph4j.isMissingNode()) return;
    JsonNode peer = langgraph4j.path("three_step");
    JsonNode ours = engine.path("three_step").path("engine");
    double ratio = peer.path("p50_us").asDouble() / Math.max(0.01, ours.path("p50_us").asDouble());
    row(
        "1 Engine (in process, 1 core)",
        f(
            "3-step job on LangGraph4j %s `AgentExecutor` (MemorySaver): p50 / p99, jobs/s",
            langgraph4j.path("version").asText()),
        f(
            "%.1f / %.1f µs, %.0f/s",
            peer.path("p50_us").asDouble(),
            peer.path("p99_us").asDouble(),
            peer.path("per_s").asDouble()),
        ours.isMissingNode()
            ? ""
            : f(
                "engine 3-step %.1f / %.1f µs",
                ours.path("p50_us").asDouble(), ours.path("p99_us").asDouble()),
        ours.isMissingNode() ? "" : f("%.1f× the engine's p50", ratio),
        "(peer baseline)",
        "");
  }

  /**
   * The machine's own tail at the job's length: a CPU loop as long as the job's p50, timed the same
   * way ({@link CpuLoop}).
   */
  private static String cpuLoop(JsonNode scenario) {
    JsonNode loop = scenario.path("cpu_loop");
    if (loop.isMissingNode()) return "";
    return f(
        "; a CPU loop as long: %.1f / %.1f µs (p99 %.1f× p50)",
        loop.path("p50_us").asDouble(),
        loop.path("p99_us").asDouble(),
        scenario.path("cpu_loop_tail_ratio").asDouble());
  }

  private void engine(JsonNode engine) {
    if (engine.isMissingNode()) return;
    JsonNode three = engine.path("three_step");
    double p50 = three.path("engine").path("p50_us").asDouble();
    row(
        "1 Engine (in process, 1 core)",
        "3-step job p50 / p99, jobs/s",
        f(
            "%.1f / %.1f µs, %.0f/s",
            p50,
            three.path("engine").path("p99_us").asDouble(),
            three.path("engine").path("per_s").asDouble()),
        f(
            "floor %.1f / %.1f µs%s",
            three.path("floor").path("p50_us").asDouble(),
            three.path("floor").path("p99_us").asDouble(),
            cpuLoop(three)),
        f("%.1f×", three.path("ratio_p50").asDouble()),
        f(
            "≤ %.0f µs p50, p99 ≤ %.0f× p50 (Python LangGraph: %.0f µs)",
            engine.path("target_p50_us").asDouble(),
            TAIL_TARGET,
            engine.path("langgraph_reference_us").asDouble()),
        met(p50 <= engine.path("target_p50_us").asDouble() && steadyTail(three.path("engine"))));
    JsonNode twenty = engine.path("twenty_step_two_subagents");
    row(
        "1 Engine (in process, 1 core)",
        "20-step job, 2 subagents, p50 / p99, jobs/s",
        f(
            "%.1f / %.1f µs, %.0f/s",
            twenty.path("engine").path("p50_us").asDouble(),
            twenty.path("engine").path("p99_us").asDouble(),
            twenty.path("engine").path("per_s").asDouble()),
        f(
            "floor %.1f / %.1f µs%s",
            twenty.path("floor").path("p50_us").asDouble(),
            twenty.path("floor").path("p99_us").asDouble(),
            cpuLoop(twenty)),
        f("%.1f×", twenty.path("ratio_p50").asDouble()),
        f("p99 ≤ %.0f× p50", TAIL_TARGET),
        met(steadyTail(twenty.path("engine"))));
    JsonNode parallel = engine.path("twenty_step_parallel_subagents");
    if (!parallel.isMissingNode()) {
      row(
          "1 Engine (in process, 1 core)",
          "20-step job, 2 parallel subagents, p50 / p99, jobs/s",
          f(
              "%.1f / %.1f µs, %.0f/s",
              parallel.path("engine").path("p50_us").asDouble(),
              parallel.path("engine").path("p99_us").asDouble(),
              parallel.path("engine").path("per_s").asDouble()),
          f(
              "floor %.1f / %.1f µs; sequential %.1f µs",
              parallel.path("floor").path("p50_us").asDouble(),
              parallel.path("floor").path("p99_us").asDouble(),
              twenty.path("engine").path("p50_us").asDouble()),
          f("%.1f×", parallel.path("ratio_p50").asDouble()),
          "(report)",
          "");
    }
    JsonNode latency = engine.path("subagent_latency");
    if (!latency.isMissingNode()) {
      row(
          "1 Engine (in process, 1 core)",
          f(
              "20-step job, %d ms per subagent model call: parallel p50 / p99",
              latency.path("subagent_model_ms").asInt()),
          f(
              "%.2f / %.2f ms",
              latency.path("parallel").path("p50_us").asDouble() / 1000,
              latency.path("parallel").path("p99_us").asDouble() / 1000),
          f(
              "sequential %.2f / %.2f ms",
              latency.path("sequential").path("p50_us").asDouble() / 1000,
              latency.path("sequential").path("p99_us").asDouble() / 1000),
          f("%.2f×", latency.path("ratio_p50").asDouble()),
          "(report)",
          "");
    }
  }

  private void durable(JsonNode durable) {
    if (durable.isMissingNode()) return;
    JsonNode io = durable.path("io_per_job");
    for (JsonNode level : durable.path("levels")) {
      int inFlight = level.path("in_flight").asInt();
      JsonNode service = level.path("service");
      JsonNode floor = level.path("floor");
      String target = "";
      String met = "";
      if (inFlight == 1) {
        target =
            f(
                "p50 ≤ %.0f ms, ≤ %.0f× floor",
                durable.path("target_p50_ms_at_1").asDouble(),
                durable.path("target_service_to_floor_ratio").asDouble());
        met =
            met(
                service.path("p50_us").asDouble() / 1000
                        <= durable.path("target_p50_ms_at_1").asDouble()
                    && level.path("ratio_p50").asDouble()
                        <= durable.path("target_service_to_floor_ratio").asDouble());
      } else if (inFlight == 64) {
        target =
            f(
                "≥ %.0f jobs/s, ≤ %.0f× floor",
                durable.path("target_jobs_per_s_at_64").asDouble(),
                durable.path("target_service_to_floor_ratio").asDouble());
        met =
            met(
                service.path("per_s").asDouble()
                        >= durable.path("target_jobs_per_s_at_64").asDouble()
                    && level.path("ratio_throughput").asDouble()
                        <= durable.path("target_service_to_floor_ratio").asDouble());
      } else {
        target = f("≤ %.0f× floor", durable.path("target_service_to_floor_ratio").asDouble());
        met =
            met(
                level.path("ratio_p50").asDouble()
                    <= durable.path("target_service_to_floor_ratio").asDouble());
      }
      row(
          "2 Durable (PG + Redis + NATS)",
          f("%d in flight: p50 / p99, jobs/s", inFlight),
          f(
              "%.2f / %.2f ms, %.0f/s",
              service.path("p50_us").asDouble() / 1000,
              service.path("p99_us").asDouble() / 1000,
              service.path("per_s").asDouble()),
          f(
              "I/O floor %.2f / %.2f ms, %.0f/s",
              floor.path("p50_us").asDouble() / 1000,
              floor.path("p99_us").asDouble() / 1000,
              floor.path("per_s").asDouble()),
          f(
              "%.1f× p50, %.1f× jobs/s",
              level.path("ratio_p50").asDouble(), level.path("ratio_throughput").asDouble()),
          target,
          met);
    }
    row(
        "2 Durable (PG + Redis + NATS)",
        "I/O per job (counted)",
        f(
            "%.0f PG transactions, %.0f XADD+EXPIRE+PUBLISH pipelines, %.0f+%.0f publish-acks",
            io.path("pg_transactions").asDouble(),
            io.path("redis_pipelines").asDouble(),
            io.path("nats_job_publish_acks").asDouble(),
            io.path("nats_result_publish_acks").asDouble()),
        "floor does the same",
        "",
        "",
        "");
  }

  private void storage(JsonNode storage) {
    if (storage.isMissingNode()) return;
    StringBuilder sizes = new StringBuilder();
    for (JsonNode job : storage.path("jobs")) {
      if (!sizes.isEmpty()) sizes.append("; ");
      sizes.append(
          f(
              "%d steps: %.0f KiB (%.0f B/step)",
              job.path("steps").asInt(),
              job.path("total_bytes").asDouble() / 1024,
              job.path("bytes_per_step").asDouble()));
    }
    double ratio = storage.path("bytes_ratio").asDouble();
    double linear = storage.path("step_ratio").asDouble();
    row(
        "3 Checkpoint storage",
        "bytes in PostgreSQL",
        sizes.toString(),
        f("linear: ratio %.0f", linear),
        f("%.2f (bytes last / previous)", ratio),
        "linear in steps",
        met(ratio <= linear * 1.25));
  }

  private void startup(JsonNode startup, JsonNode durable) {
    if (!startup.isMissingNode()) {
      double readyTarget = startup.path("target_ready_ms").asDouble();
      double rssTarget = startup.path("target_idle_rss_mib").asDouble();
      JsonNode defaults = null;
      for (JsonNode variant : startup.path("variants"))
        if (variant.path("name").asText().equals("default")) defaults = variant;
      for (JsonNode variant : startup.path("variants")) {
        JsonNode embedded = variant.path("embedded");
        JsonNode backends = variant.path("backends");
        double ready =
            Math.max(
                embedded.path("ready_ms_median").asDouble(),
                backends.path("ready_ms_median").asDouble());
        double rss =
            Math.max(
                embedded.path("idle_rss_mib_median").asDouble(),
                backends.path("idle_rss_mib_median").asDouble());
        String baseline =
            defaults == null || defaults == variant
                ? ""
                : f(
                    "default: %.0f / %.0f ms",
                    defaults.path("embedded").path("ready_ms_median").asDouble(),
                    defaults.path("backends").path("ready_ms_median").asDouble());
        String ratio =
            defaults == null || defaults == variant
                ? ""
                : f(
                    "%.2f× ready (backends)",
                    backends.path("ready_ms_median").asDouble()
                        / Math.max(
                            1, defaults.path("backends").path("ready_ms_median").asDouble()));
        row(
            "4 Start-up and footprint",
            f(
                "`%s` %s: ready embedded / backends; idle RSS",
                variant.path("name").asText(), variant.path("flags").asText()),
            f(
                "%.0f / %.0f ms; %.0f / %.0f MiB",
                embedded.path("ready_ms_median").asDouble(),
                backends.path("ready_ms_median").asDouble(),
                embedded.path("idle_rss_mib_median").asDouble(),
                backends.path("idle_rss_mib_median").asDouble()),
            baseline,
            ratio,
            f("≤ %.0f ms, ≤ %.0f MiB", readyTarget, rssTarget),
            met(ready <= readyTarget && rss <= rssTarget));
      }
    }
    if (!durable.isMissingNode()) {
      double peak = 0;
      for (JsonNode level : durable.path("levels"))
        peak = Math.max(peak, level.path("peak_rss_mib").asDouble());
      row(
          "4 Start-up and footprint",
          "RSS, default flags: idle after ready / peak under load (durable run)",
          f("%.0f / %.0f MiB", durable.path("idle_rss_mib").asDouble(), peak),
          "",
          "",
          "(report)",
          "");
    }
  }

  private void streaming(JsonNode streaming) {
    if (streaming.isMissingNode()) return;
    JsonNode full = streaming.path("full_speed");
    JsonNode baseFull = streaming.path("baseline_full_speed");
    row(
        "5 Streaming (Redis → WebSocket)",
        "one job, full speed: events/s delivered (p50 / p99 delay)",
        f(
            "%.0f/s (%.2f / %.2f ms)",
            full.path("delivered_per_s").asDouble(),
            full.path("p50_us").asDouble() / 1000,
            full.path("p99_us").asDouble() / 1000),
        f("raw PUBLISH→SUBSCRIBE %.0f/s", baseFull.path("delivered_per_s").asDouble()),
        f("%.1f× slower", streaming.path("ratio_rate").asDouble()),
        "(report)",
        "");
    JsonNode rate = streaming.path("fixed_rate");
    JsonNode baseRate = streaming.path("baseline_fixed_rate");
    row(
        "5 Streaming (Redis → WebSocket)",
        f("fixed %d events/s: delay p50 / p99", streaming.path("fixed_rate_per_s").asInt()),
        f(
            "%.2f / %.2f ms",
            rate.path("p50_us").asDouble() / 1000, rate.path("p99_us").asDouble() / 1000),
        f(
            "raw %.2f / %.2f ms",
            baseRate.path("p50_us").asDouble() / 1000, baseRate.path("p99_us").asDouble() / 1000),
        f("%.1f× p50", streaming.path("ratio_p50_fixed_rate").asDouble()),
        "(report)",
        "");
  }
}
