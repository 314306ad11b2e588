package dev.agentexecutor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every benchmark of bench/ with tiny counts (no thresholds), so that the suite cannot rot: the
 * results have their fields, counts match what was asked and latencies are positive.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchmarkSmokeTest {
  private final BenchConfig smoke = BenchConfig.smoke();
  private ObjectNode results;

  @BeforeAll
  void runEveryBenchmark() throws Exception {
    results = BenchMain.runAll(smoke, BenchMain.BENCHMARKS);
  }

  @Test
  void engineReportsTheEngineAndItsFloorForBothJobs() {
    for (String scenario :
        List.of("three_step", "twenty_step_two_subagents", "twenty_step_parallel_subagents")) {
      JsonNode result = results.path("engine").path(scenario);
      assertPositiveLatencies(result.path("engine"));
      assertPositiveLatencies(result.path("floor"));
      assertThat(result.path("engine").path("repeats").asInt()).isEqualTo(smoke.repeats());
      assertThat(result.path("work_per_job").path("checkpoint_puts").asInt()).isPositive();
      assertThat(result.path("ratio_p50").asDouble()).isPositive();
    }
    assertThat(
            results
                .path("engine")
                .path("three_step")
                .path("work_per_job")
                .path("model_calls")
                .asInt())
        .isEqualTo(2);
    assertThat(
            results
                .path("engine")
                .path("twenty_step_two_subagents")
                .path("work_per_job")
                .path("model_calls")
                .asInt())
        .isEqualTo(20);
    JsonNode parallel = results.path("engine").path("twenty_step_parallel_subagents");
    assertThat(parallel.path("work_per_job").path("model_calls").asInt()).isEqualTo(20);
    assertThat(parallel.path("work_per_job").path("checkpoint_writes").asInt())
        .as("each task call of the parallel batch recorded as it finished")
        .isEqualTo(2);
    JsonNode latency = results.path("engine").path("subagent_latency");
    assertPositiveLatencies(latency.path("sequential"));
    assertPositiveLatencies(latency.path("parallel"));
    assertThat(latency.path("ratio_p50").asDouble()).isPositive();
  }

  @Test
  void durableMeasuresEveryConcurrencyLevelAgainstItsIoFloor() {
    JsonNode durable = results.path("durable");
    assertThat(durable.path("levels")).hasSize(smoke.durableInFlight().size());
    for (JsonNode level : durable.path("levels")) {
      int inFlight = level.path("in_flight").asInt();
      assertThat(level.path("service").path("count").asInt())
          .isEqualTo(smoke.durableJobs(inFlight));
      assertThat(level.path("floor").path("count").asInt()).isEqualTo(smoke.durableJobs(inFlight));
      assertPositiveLatencies(level.path("service"));
      assertPositiveLatencies(level.path("floor"));
      assertThat(level.path("peak_rss_mib").asDouble()).isPositive();
    }
    JsonNode io = durable.path("io_per_job");
    assertThat(io.path("redis_pipelines").asDouble()).isPositive();
    // Besides its checkpoint statements, a job reads its job row and its last checkpoint and writes
    // its result row.
    assertThat(io.path("pg_checkpoint_rows").asDouble())
        .isEqualTo(io.path("pg_transactions").asDouble() - 3);
    assertThat(io.path("nats_result_publish_acks").asDouble()).isEqualTo(1.0);
    assertThat(durable.path("idle_rss_mib").asDouble()).isPositive();
    assertThat(durable.path("service_log_replays").asLong())
        .as("every job id is new: none is merely republished")
        .isZero();
  }

  @Test
  void storageMeasuresBytesForEveryJobLength() {
    JsonNode jobs = results.path("storage").path("jobs");
    assertThat(jobs).hasSize(smoke.storageSteps().size());
    for (JsonNode job : jobs) {
      assertThat(job.path("checkpoints_rows").asLong()).isPositive();
      assertThat(job.path("total_bytes").asLong()).isPositive();
      assertThat(job.path("bytes_per_step").asDouble()).isPositive();
    }
    assertThat(results.path("storage").path("bytes_ratio").asDouble()).isPositive();
  }

  @Test
  void startupMeasuresReadinessAndMemoryOfEachVariant() {
    JsonNode variants = results.path("startup").path("variants");
    assertThat(variants).hasSize(smoke.startupVariants().size());
    for (JsonNode variant : variants) {
      for (String mode : List.of("embedded", "backends")) {
        assertThat(variant.path(mode).path("ready_ms_median").asDouble()).isPositive();
        assertThat(variant.path(mode).path("idle_rss_mib_median").asDouble()).isPositive();
      }
    }
  }

  @Test
  void streamingMeasuresTheWebSocketPathAndTheRawRedisBaseline() {
    JsonNode streaming = results.path("streaming");
    for (String run :
        List.of("full_speed", "fixed_rate", "baseline_full_speed", "baseline_fixed_rate")) {
      assertThat(streaming.path(run).path("count").asInt())
          .as(run)
          .isEqualTo(streaming.path(run).path("sent").asInt());
      assertPositiveLatencies(streaming.path(run));
      assertThat(streaming.path(run).path("delivered_per_s").asDouble()).as(run).isPositive();
    }
  }

  @Test
  void theReportTableHasARowForEveryArea() {
    ObjectNode report = dev.agentexecutor.util.Json.object();
    report.set("machine", Report.machine());
    report.set("results", results);
    String table = ReportTable.markdown(report);
    assertThat(table)
        .contains("1 Engine", "2 Durable", "3 Checkpoint storage", "4 Start-up", "5 Streaming");
  }

  private static void assertPositiveLatencies(JsonNode stats) {
    assertThat(stats.path("count").asInt()).isPositive();
    assertThat(stats.path("p50_us").asDouble()).isPositive();
    assertThat(stats.path("p99_us").asDouble())
        .isGreaterThanOrEqualTo(stats.path("p50_us").asDouble());
  }
}
