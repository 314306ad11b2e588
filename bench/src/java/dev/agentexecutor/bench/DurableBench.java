package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAccumulator;

/**
 * The durable path on real servers: the service as a child process (its own schema, key prefix
 * and streams, MAX_CONCURRENT_JOBS=64), 3-step jobs published to its agent.execute subject and
 * timed until their agent.status.completed event arrives, closed loop at 1, 8 and 64 in flight.
 * The I/O one job does is counted, then done directly with the same clients as the floor.
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
    out.put("target_p50_ms_at_1", TARGET_P50_MS_AT_1).put("target_jobs_per_s_at_64", TARGET_JOBS_PER_S_AT_64)
        .put("target_service_to_floor_ratio", TARGET_FLOOR_RATIO);
    try (BenchEnvironment environment = new BenchEnvironment();
        ServiceLauncher service = ServiceLauncher.start(List.of(), environment.env());
        Connection nats = Nats.connect(NatsTestKit.SHARED_URL)) {
      out.put("service_jvm_flags", "(none: JDK defaults)");
      out.put("ready_ms", Stats.round(service.awaitReady(Duration.ofSeconds(60))));
      out.put("idle_rss_mib", Stats.round(service.rssMib()));
      listen(nats, environment);
      JetStream js = nats.jetStream();
      String subject = environment.names.jobSubject("bench");
      ClosedLoop.Job serviceJob = index -> serviceJob(js, subject, "bench-" + environment.names.id + "-" + index);

      ClosedLoop.run(Math.min(64, config.durableWarmup()), config.durableWarmup(), serviceJob);
      IoCount io = IoCount.measure(environment, config.ioCountJobs(), serviceJob, config.mode().equals("smoke"));
      out.set("io_per_job", io.toJson());

      try (IoFloor floor = IoFloor.create(environment, io, jobTemplate, lastResult.get())) {
        ClosedLoop.run(Math.min(64, config.durableWarmup()), config.durableWarmup(), floor::job);
        ArrayNode levels = out.putArray("levels");
        for (int inFlight : config.durableInFlight()) {
          levels.add(level(inFlight, service, serviceJob, floor));
        }
      }
      out.put("service_log_errors", service.log().lines().filter(l -> l.contains("\"ERROR\"") || l.contains(" ERROR ")).count());
    }
    return out;
  }

  /** One concurrency level: service and floor alternated, each repeated; median runs reported. */
  private ObjectNode level(int inFlight, ServiceLauncher service, ClosedLoop.Job serviceJob, IoFloor floor) throws Exception {
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
      floorRuns.add(ClosedLoop.run(inFlight, jobs, floor::job));
    }
    ObjectNode serviceMedian = Stats.medianRun(serviceRuns, "per_s");
    ObjectNode floorMedian = Stats.medianRun(floorRuns, "per_s");
    ObjectNode level = Json.object().put("in_flight", inFlight).put("jobs", jobs);
    level.set("service", serviceMedian);
    level.set("floor", floorMedian);
    level.put("ratio_p50", Stats.round(serviceMedian.path("p50_us").asDouble() / Math.max(1, floorMedian.path("p50_us").asDouble())));
    level.put("ratio_throughput", Stats.round(floorMedian.path("per_s").asDouble() / Math.max(0.01, serviceMedian.path("per_s").asDouble())));
    level.put("peak_rss_mib", Stats.round(peakRss.get()));
    return level;
  }

  private static Thread rssSampler(ServiceLauncher service, DoubleAccumulator peak) {
    return Thread.ofPlatform().daemon().name("bench-rss").start(() -> {
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
      waiting.completeExceptionally(new IllegalStateException("job failed: " + new String(message.getData(), StandardCharsets.UTF_8)));
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

  /** What one job does to each backend, from server-side counters around jobs run one at a time. */
  record IoCount(int jobs, double pgCommits, double redisXadds, double redisPublishes, double redisExpires,
      double natsJobMessages, double natsResultMessages, String sampleJobId, String pgNote) {
    static IoCount measure(BenchEnvironment environment, int jobs, ClosedLoop.Job serviceJob, boolean quick) throws Exception {
      RedisClient client = RedisClient.create(RedisTestKit.SHARED_URI);
      try (StatefulRedisConnection<String, String> redis = client.connect();
          Connection nats = Nats.connect(NatsTestKit.SHARED_URL)) {
        long commits = committedTransactions();
        Map<String, Long> redisBefore = commandCalls(redis);
        long jobMessages = streamMessages(nats, environment.names.jobStream);
        long resultMessages = streamMessages(nats, environment.names.resultStream);
        int[] last = new int[1];
        ClosedLoop.run(1, jobs, index -> {
          last[0] = index;
          return serviceJob.run(1_000_000 + index);
        });
        Map<String, Long> redisAfter = commandCalls(redis);
        // PostgreSQL 15 backends flush their counters at most once a second and, when idle, up to
        // ten seconds later: wait until the count stops moving.
        long committed = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(quick ? 0 : 12).toNanos();
        long stableSince = System.nanoTime();
        do {
          Thread.sleep(quick ? 0 : 500);
          long now = committedTransactions() - commits;
          if (now != committed) stableSince = System.nanoTime();
          committed = now;
        } while (System.nanoTime() < deadline && System.nanoTime() - stableSince < Duration.ofMillis(2_500).toNanos());
        double perJob = jobs;
        return new IoCount(jobs, Stats.round(committed / perJob),
            Stats.round(delta(redisBefore, redisAfter, "xadd") / perJob),
            Stats.round(delta(redisBefore, redisAfter, "publish") / perJob),
            Stats.round(delta(redisBefore, redisAfter, "expire") / perJob),
            Stats.round((streamMessages(nats, environment.names.jobStream) - jobMessages) / perJob),
            Stats.round((streamMessages(nats, environment.names.resultStream) - resultMessages) / perJob),
            "bench-" + environment.names.id + "-" + (1_000_000 + last[0]),
            "pg_stat_database.xact_commit delta of the whole database (other sessions add noise)");
      } finally {
        client.shutdown();
      }
    }

    ObjectNode toJson() {
      return Json.object().put("jobs_counted", jobs).put("pg_commits", pgCommits).put("redis_xadd", redisXadds)
          .put("redis_publish", redisPublishes).put("redis_expire", redisExpires)
          .put("nats_job_publish_acks", natsJobMessages).put("nats_result_publish_acks", natsResultMessages)
          .put("pg_note", pgNote);
    }

    private static long committedTransactions() throws Exception {
      Object value = PostgresTestSchema.queryValue(
          "select xact_commit from pg_stat_database where datname = current_database()");
      return ((Number) value).longValue();
    }

    private static long streamMessages(Connection nats, String stream) throws Exception {
      return nats.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
    }

    static Map<String, Long> commandCalls(StatefulRedisConnection<String, String> redis) {
      Map<String, Long> calls = new HashMap<>();
      for (String line : redis.sync().info("commandstats").split("\r?\n")) {
        if (!line.startsWith("cmdstat_")) continue;
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        String count = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
        calls.put(name, Long.parseLong(count));
      }
      return calls;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
      return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }
  }
}
