package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.app.Application;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.postgres.Migrations;
import dev.agentexecutor.postgres.PostgresMigrator;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.util.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Checkpoint storage: jobs of 10, 100 and 500 steps (each a write_file or edit_file call and its
 * result) run in process on PostgreSQL through {@code Application.offline}, then the bytes of the
 * thread's rows in checkpoints, checkpoint_blobs and checkpoint_writes ({@code pg_column_size}).
 */
final class StorageBench {
  private final BenchConfig config;

  StorageBench(BenchConfig config) {
    this.config = config;
  }

  ObjectNode run() throws Exception {
    String schema = "bench_storage_" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("LLM_PROVIDER", "scripted");
    env.put("MAX_STEPS", "10000");
    env.put("POSTGRES_HOST", PostgresTestSchema.HOST);
    env.put("POSTGRES_PORT", Integer.toString(PostgresTestSchema.PORT));
    env.put("POSTGRES_DB", PostgresTestSchema.DATABASE);
    env.put("POSTGRES_USER", PostgresTestSchema.USER);
    env.put("POSTGRES_SCHEMA", schema);
    env.put(
        "MIGRATE_ON_START",
        "false"); // migrated here: offline, nothing waits for a background migration
    PostgresTestSchema.execute("create schema " + schema);
    PostgresMigrator.migrate(
        PostgresTestSchema.settings(schema, PostgresTestSchema.USER, PostgresTestSchema.PORT),
        Migrations.fromClasspath());
    ObjectNode out = Json.object();
    ArrayNode jobs = out.putArray("jobs");
    try (Application app = Application.offline(Settings.from(env))) {
      for (int steps : config.storageSteps()) {
        String jobId = "storage-" + steps + "-" + UUID.randomUUID();
        long start = System.nanoTime();
        Outcome outcome = app.runner().execute(Jobs.event(Jobs.fileSteps(jobId, steps)));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!(outcome instanceof Outcome.Completed))
          throw new IllegalStateException("storage job failed: " + outcome);
        ObjectNode job = jobs.addObject().put("steps", steps).put("run_s", Stats.round(seconds));
        long total = 0;
        for (String table : new String[] {"checkpoints", "checkpoint_blobs", "checkpoint_writes"}) {
          Object[] sizes = sizes(schema, table, jobId);
          job.put(table + "_rows", (Long) sizes[0]);
          job.put(table + "_bytes", (Long) sizes[1]);
          total += (Long) sizes[1];
        }
        job.put("total_bytes", total);
        job.put("bytes_per_step", Stats.round((double) total / steps));
      }
    } finally {
      PostgresTestSchema.execute("drop schema if exists " + schema + " cascade");
    }
    if (jobs.size() >= 2) {
      ObjectNode largest = (ObjectNode) jobs.get(jobs.size() - 1);
      ObjectNode previous = (ObjectNode) jobs.get(jobs.size() - 2);
      double stepRatio = largest.path("steps").asDouble() / previous.path("steps").asDouble();
      out.put("step_ratio", Stats.round(stepRatio));
      out.put(
          "bytes_ratio",
          Stats.round(
              largest.path("total_bytes").asDouble() / previous.path("total_bytes").asDouble()));
      out.put("linear_if_bytes_ratio_near", Stats.round(stepRatio));
    }
    return out;
  }

  private static Object[] sizes(String schema, String table, String jobId) throws Exception {
    try (var admin = PostgresTestSchema.admin();
        var statement =
            admin.prepareStatement(
                "select count(*), coalesce(sum(pg_column_size(t.*)), 0) from "
                    + schema
                    + "."
                    + table
                    + " t where thread_id = ?")) {
      statement.setString(1, jobId);
      try (var row = statement.executeQuery()) {
        row.next();
        return new Object[] {row.getLong(1), row.getLong(2)};
      }
    }
  }
}
