package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.RedisTestKit;
import dev.agentexecutor.util.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAccumulator;

/**
 * The durable path on real servers: the service as a child process (its own schema, key prefix and
 * streams, MAX_CONCURRENT_JOBS=64), 3-step jobs published to its agent.execute subject and timed
 * until their agent.status.completed event arrives, closed loop at 1, 8 and 64 in flight. The I/O
 * one job does is counted, then done directly with the same clients as the floor.
 */
final class DurableBench {
  static final double TARGET_P50_MS_AT_1 = 5;
  static final double TARGET_JOBS_PER_S_AT_64 = 1_000;
  static final double TARGET_FLOOR_RATIO = 2;
  private static final String PLACEHOLDER = "JOB-ID-PLACEHOLDER";

  private final BenchConfig config;
  private final Map<String, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
  private final AtomicReference<byte[]> lastResult = new AtomicReference<>();
  private final String jobTemplate = CloudEvents.structured(Jobs.threeStep(PLACEHOLDER)).toString();
  private final Headers headers = new Headers().add("Content-Type", "application/cloudevents+json");

  DurableBench(BenchConfig config) {
    this.config = config;
  }

  ObjectNode run() throws Exception {
    ObjectNode out = Json.object();
    out.put("target_p50_ms_at_1", TARGET_P50_MS_AT_1)
        .put("target_jobs_per_s_at_64", TARGET_JOBS_PER_S_AT_64)
        .put("target_service_to_floor_ratio", TARGET_FLOOR_RATIO);
    try (BenchEnvironment environment = new BenchEnvironment();
        ServiceLauncher service = ServiceLauncher.start(serviceFlags(), environment.env());
        Connection nats = Nats.connect(NatsTestKit.SHARED_URL)) {
      out.put(
          "service_jvm_flags",
          serviceFlags().isEmpty() ? "(none: JDK defaults)" : String.join(" ", serviceFlags()));
      out.put("ready_ms", Stats.round(service.awaitReady(Duration.ofSeconds(60))));
      out.put("idle_rss_mib", Stats.round(service.rssMib()));
      listen(nats, environment);
      JetStream js = nats.jetStream();
      String subject = environment.names.jobSubject("bench");
      // Every job id is new: a finished job id sent again is only republished from the job store.
      AtomicLong sequence = new AtomicLong();
      ClosedLoop.Job serviceJob =
          index ->
              serviceJob(
                  js, subject, "bench-" + environment.names.id + "-" + sequence.incrementAndGet());
      String countedPrefix = "count-" + environment.names.id + "-";
      ClosedLoop.Job countedJob = index -> serviceJob(js, subject, countedPrefix + index);

      ClosedLoop.run(Math.min(64, config.durableWarmup()), config.durableWarmup(), serviceJob);
      RecordedJob shape =
          RecordedJob.record(
              Jobs.event(Jobs.threeStep("io-shape")),
              Settings.from(Map.of("LLM_PROVIDER", "scripted")));
      IoCount io =
          IoCount.measure(environment, config.ioCountJobs(), countedJob, countedPrefix, shape);
      out.set("io_per_job", io.toJson());

      try (IoFloor floor = IoFloor.create(environment, io, jobTemplate, lastResult.get())) {
        ClosedLoop.run(Math.min(64, config.durableWarmup()), config.durableWarmup(), floor::job);
        ArrayNode levels = out.putArray("levels");
        for (int inFlight : config.durableInFlight()) {
          levels.add(level(inFlight, service, serviceJob, floor));
        }
      }
      String log = service.log();
      out.put(
          "service_log_errors",
          log.lines().filter(l -> l.contains("\"ERROR\"") || l.contains(" ERROR ")).count());
      // A redelivered job that already finished is not run again: its stored result is republished.
      out.put(
          "service_log_replays",
          log.lines().filter(l -> l.contains("stored result republished")).count());
      out.put(
          "nats_redelivered",
          nats.jetStreamManagement()
              .getConsumerInfo(environment.names.jobStream, environment.names.consumer())
              .getRedelivered());
    }
    return out;
  }

  /**
   * JVM flags of the service process: none (the JDK's defaults) unless bench/profile.sh adds JFR.
   */
  static List<String> serviceFlags() {
    String flags = System.getProperty("bench.service.jvm.flags", "").strip();
    return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
  }

  /** One concurrency level: service and floor alternated, each repeated; median runs reported. */
  private ObjectNode level(
      int inFlight, ServiceLauncher service, ClosedLoop.Job serviceJob, IoFloor floor)
      throws Exception {
    int jobs = config.durableJobs(inFlight);
    List<ObjectNode> serviceRuns = new ArrayList<>();
    List<ObjectNode> floorRuns = new ArrayList<>();
    DoubleAccumulator peakRss = new DoubleAccumulator(Math::max, 0);
    for (int repeat = 0; repeat < config.repeats(); repeat++) {
      Thread sampler = rssSampler(service, peakRss);
      try {
        serviceRuns.add(ClosedLoop.run(inFlight, jobs, serviceJob));
      } finally {
        sampler.interrupt();
      }
      floor.breakdown();
      floorRuns.add(
          ClosedLoop.run(inFlight, jobs, floor::job)
              .set("per_job_in_each_backend", floor.breakdown()));
    }
    ObjectNode serviceMedian = Stats.medianRun(serviceRuns, "per_s");
    ObjectNode floorMedian = Stats.medianRun(floorRuns, "per_s");
    ObjectNode level = Json.object().put("in_flight", inFlight).put("jobs", jobs);
    level.set("service", serviceMedian);
    level.set("floor", floorMedian);
    level.put(
        "ratio_p50",
        Stats.round(
            serviceMedian.path("p50_us").asDouble()
                / Math.max(1, floorMedian.path("p50_us").asDouble())));
    level.put(
        "ratio_throughput",
        Stats.round(
            floorMedian.path("per_s").asDouble()
                / Math.max(0.01, serviceMedian.path("per_s").asDouble())));
    level.put("peak_rss_mib", Stats.round(peakRss.get()));
    return level;
  }

  private static Thread rssSampler(ServiceLauncher service, DoubleAccumulator peak) {
    return Thread.ofPlatform()
        .daemon()
        .name("bench-rss")
        .start(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  peak.accumulate(service.rssMib());
                  Thread.sleep(100);
                }
              } catch (Exception e) {
                // interrupted: the run is over
              }
            });
  }

  private void listen(Connection nats, BenchEnvironment environment) throws Exception {
    Dispatcher dispatcher = nats.createDispatcher(this::onResult);
    dispatcher.subscribe(environment.names.completedSubject());
    dispatcher.subscribe(environment.names.failedSubject());
    nats.flush(Duration.ofSeconds(2));
  }

  /** Result events carry {@code Nats-Msg-Id: {job_id}-{status}}: no JSON parsing on this side. */
  private void onResult(Message message) {
    long arrived = System.nanoTime();
    String msgId = message.getHeaders() == null ? "" : message.getHeaders().getFirst("Nats-Msg-Id");
    if (msgId == null) return;
    int dash = msgId.lastIndexOf('-');
    CompletableFuture<Long> waiting = pending.remove(msgId.substring(0, dash));
    if (waiting == null) return;
    if (msgId.endsWith("-completed")) {
      lastResult.set(message.getData());
      waiting.complete(arrived);
    } else {
      waiting.completeExceptionally(
          new IllegalStateException(
              "job failed: " + new String(message.getData(), StandardCharsets.UTF_8)));
    }
  }

  private long serviceJob(JetStream js, String subject, String jobId) throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    pending.put(jobId, done);
    byte[] body = jobTemplate.replace(PLACEHOLDER, jobId).getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    js.publish(subject, headers, body);
    return done.get(60, TimeUnit.SECONDS) - start;
  }

  /**
   * What one job does to each backend. PostgreSQL: every JobStore and Checkpointer call of the
   * PostgreSQL adapters is one statement in autocommit, so the transactions per job are the calls a
   * recorded run of the same job makes; the checkpoint rows of the counted jobs in the service's
   * own schema confirm them. The whole database's {@code xact_commit} delta is kept too, but other
   * sessions on the server add to it. Redis: the length of a job's event stream (one
   * XADD+EXPIRE+PUBLISH pipeline per event). NATS: the messages added to the job and result
   * streams.
   */
  record IoCount(
      int jobs,
      double pgTransactions,
      double checkpointRows,
      double blobRows,
      double xactCommitWholeDatabase,
      double redisPipelines,
      double natsJobMessages,
      double natsResultMessages,
      String sampleJobId) {
    static IoCount measure(
        BenchEnvironment environment,
        int jobs,
        ClosedLoop.Job countedJob,
        String countedPrefix,
        RecordedJob shape)
        throws Exception {
      try (Connection nats = Nats.connect(NatsTestKit.SHARED_URL)) {
        String schema = environment.names.schema;
        long commits = committedTransactions();
        long jobMessages = streamMessages(nats, environment.names.jobStream);
        long resultMessages = streamMessages(nats, environment.names.resultStream);
        ClosedLoop.run(1, jobs, countedJob);
        String counted = countedPrefix + "%";
        double perJob = jobs;
        String sample = countedPrefix + (jobs - 1);
        return new IoCount(
            jobs,
            shape.jobReads
                + shape.jobWrites.size()
                + shape.checkpointPuts.size()
                + shape.checkpointReads.size(),
            Stats.round(rowsOf(schema, "checkpoints", "thread_id", counted) / perJob),
            Stats.round(rowsOf(schema, "checkpoint_blobs", "thread_id", counted) / perJob),
            Stats.round((committedTransactions() - commits) / perJob),
            eventsOf(environment.names.keyPrefix + "langgraph:events:" + sample),
            Stats.round((streamMessages(nats, environment.names.jobStream) - jobMessages) / perJob),
            Stats.round(
                (streamMessages(nats, environment.names.resultStream) - resultMessages) / perJob),
            sample);
      }
    }

    ObjectNode toJson() {
      return Json.object()
          .put("jobs_counted", jobs)
          .put("pg_transactions", pgTransactions)
          .put("pg_checkpoint_rows", checkpointRows)
          .put("pg_blob_rows", blobRows)
          .put("pg_xact_commit_whole_database", xactCommitWholeDatabase)
          .put("redis_pipelines", redisPipelines)
          .put("nats_job_publish_acks", natsJobMessages)
          .put("nats_result_publish_acks", natsResultMessages);
    }

    private static long committedTransactions() throws Exception {
      Object value =
          PostgresTestSchema.queryValue(
              "select xact_commit from pg_stat_database where datname = current_database()");
      return ((Number) value).longValue();
    }

    private static long rowsOf(String schema, String table, String column, String pattern)
        throws Exception {
      Object count =
          PostgresTestSchema.queryValue(
              "select count(*) from " + schema + "." + table + " where " + column + " like ?",
              pattern);
      return ((Number) count).longValue();
    }

    private static double eventsOf(String stream) {
      RedisClient client = RedisClient.create(RedisTestKit.SHARED_URI);
      try (StatefulRedisConnection<String, String> redis = client.connect()) {
        return redis.sync().xlen(stream);
      } finally {
        client.shutdown();
      }
    }

    private static long streamMessages(Connection nats, String stream) throws Exception {
      return nats.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
    }
  }
}
