package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentexecutor.postgres.Migrations;
import dev.agentexecutor.postgres.PostgresMigrator;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.RedisTestKit;
import dev.agentexecutor.util.Json;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The I/O floor of one durable job: the PostgreSQL commits, Redis pipelines and NATS publish-acks
 * the service was counted doing, done directly with the same clients (pgjdbc + HikariCP, Lettuce,
 * jnats), with the rows, events and messages of a job the service ran, into a scratch schema, key
 * prefix and stream, under the service's own I/O policy: checkpoint statements commit
 * asynchronously (CHECKPOINT_SYNC_COMMIT=false), the job row synchronously, and the events of a job
 * are pipelined to Redis and confirmed once. Per job: publish the job (ack) → read the job row →
 * more reads up to the counted transactions → one statement per checkpoint (its blobs and row, as
 * the service writes them) → XADD+PUBLISH per event (EXPIRE on the first, every 64th and the last),
 * pipelined, then wait for all → upsert the job row (synchronous commit) → publish the result (ack,
 * with a message id).
 */
final class IoFloor implements AutoCloseable {
  private static final String PUT_SQL =
      """
      WITH blobs AS (
          INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
          SELECT ?, ?, b.channel, b.version, b.type, b.blob
          FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[]) AS b(channel, version, type, blob)
      )
      INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
      VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)""";
  private static final String JOB_UPSERT =
      """
      INSERT INTO jobs (job_id, trace_id, status, created_at, updated_at, result_event)
      VALUES (?, ?, 'completed', now(), now(), ?::jsonb)
      ON CONFLICT (job_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
          result_event = EXCLUDED.result_event""";
  private static final String JOB_READ =
      "SELECT job_id, status, result_event::text FROM jobs WHERE job_id = ?";

  private record CheckpointRow(
      String namespace,
      String id,
      String parentId,
      String checkpoint,
      String metadata,
      List<String> channels,
      List<String> versions,
      List<String> types,
      List<byte[]> blobs) {}

  private final String schema = "bench_floor_" + Long.toHexString(System.nanoTime());
  private final String prefix = "bench-floor-" + Long.toHexString(System.nanoTime()) + ":";
  private final String stream =
      "BENCH_FLOOR_" + Long.toHexString(System.nanoTime()).toUpperCase(java.util.Locale.ROOT);
  private final String subjects = "bf" + Long.toHexString(System.nanoTime());
  private final List<CheckpointRow> checkpoints;
  private final List<String> events;
  private final int extraReads;
  private final String jobTemplate;
  private final byte[] result;
  private HikariDataSource pool;
  private RedisClient redisClient;
  private StatefulRedisConnection<String, String> redis;
  private Connection nats;
  private JetStream js;
  private final LongAdder natsNanos = new LongAdder();
  private final LongAdder postgresNanos = new LongAdder();
  private final LongAdder redisNanos = new LongAdder();
  private final LongAdder jobs = new LongAdder();
  private final XAddArgs capped = XAddArgs.Builder.maxlen(10_000).approximateTrimming();

  private IoFloor(
      List<CheckpointRow> checkpoints,
      List<String> events,
      int extraReads,
      String jobTemplate,
      byte[] result) {
    this.checkpoints = checkpoints;
    this.events = events;
    this.extraReads = extraReads;
    this.jobTemplate = jobTemplate;
    this.result = result;
  }

  /** Copies the rows and events of the counted job from the service's schema and stream. */
  static IoFloor create(
      BenchEnvironment environment, DurableBench.IoCount io, String jobTemplate, byte[] result)
      throws Exception {
    String jobId = io.sampleJobId();
    List<CheckpointRow> rows = checkpointRows(environment.names.schema, jobId);
    List<String> events = new ArrayList<>();
    RedisClient client = RedisClient.create(RedisTestKit.SHARED_URI);
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      redis
          .sync()
          .xrange(environment.names.keyPrefix + "langgraph:events:" + jobId, Range.create("-", "+"))
          .forEach(m -> events.add(m.getBody().get("event")));
    } finally {
      client.shutdown();
    }
    // The job row is read once and written once; every other transaction is a checkpoint statement
    // or a read.
    int extraReads = (int) Math.max(0, Math.round(io.pgTransactions()) - 2 - rows.size());
    IoFloor floor = new IoFloor(rows, events, extraReads, jobTemplate, result);
    floor.open();
    return floor;
  }

  int commitsPerJob() {
    return 2 + checkpoints.size() + extraReads;
  }

  private void open() throws Exception {
    PostgresTestSchema.execute("create schema " + schema);
    PostgresMigrator.migrate(
        PostgresTestSchema.settings(schema, PostgresTestSchema.USER, PostgresTestSchema.PORT),
        Migrations.fromClasspath());
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(PostgresTestSchema.jdbcUrl() + "?currentSchema=" + schema);
    hikari.setUsername(PostgresTestSchema.USER);
    hikari.setPassword(PostgresTestSchema.PASSWORD);
    hikari.setMaximumPoolSize(10); // the service's POSTGRES_POOL_SIZE default
    hikari.setPoolName("bench-floor");
    hikari.setConnectionInitSql(
        "SET synchronous_commit TO off"); // as the service's checkpoint pool
    pool = new HikariDataSource(hikari);
    redisClient = RedisClient.create(RedisTestKit.SHARED_URI);
    redis = redisClient.connect();
    nats = Nats.connect(NatsTestKit.SHARED_URL);
    JetStreamManagement jsm = nats.jetStreamManagement();
    jsm.addStream(
        StreamConfiguration.builder()
            .name(stream)
            .subjects(subjects + ".>")
            .storageType(StorageType.File)
            .build());
    js = nats.jetStream();
  }

  /** One floor job; returns its latency in nanoseconds. */
  long job(int index) throws Exception {
    String jobId = "floor-" + index + "-" + System.nanoTime();
    long start = System.nanoTime();
    js.publish(
        subjects + ".execute.bench",
        jobTemplate.replace("JOB-ID-PLACEHOLDER", jobId).getBytes(StandardCharsets.UTF_8));
    long published = System.nanoTime();
    try (java.sql.Connection connection = pool.getConnection()) {
      read(connection, jobId);
    }
    for (int i = 0; i < extraReads; i++) {
      try (java.sql.Connection connection = pool.getConnection()) {
        read(connection, jobId);
      }
    }
    for (CheckpointRow row : checkpoints) {
      try (java.sql.Connection connection = pool.getConnection()) {
        insert(connection, jobId, row);
      }
    }
    long stored = System.nanoTime();
    pipeline(jobId, events);
    long streamed = System.nanoTime();
    try (java.sql.Connection connection = pool.getConnection()) {
      saveResult(connection, jobId, new String(result, StandardCharsets.UTF_8));
    }
    long finished = System.nanoTime();
    js.publish(
        subjects + ".status.completed",
        new Headers().add("Content-Type", "application/cloudevents+json"),
        result,
        PublishOptions.builder().messageId(jobId + "-completed").expectedStream(stream).build());
    long end = System.nanoTime();
    natsNanos.add(published - start + end - finished);
    postgresNanos.add(stored - published + finished - streamed);
    redisNanos.add(streamed - stored);
    jobs.increment();
    return end - start;
  }

  /** Mean time per job in each backend since the last call (µs), then starts counting afresh. */
  ObjectNode breakdown() {
    double count = Math.max(1, jobs.sumThenReset());
    return Json.object()
        .put("postgres_us", Stats.round(postgresNanos.sumThenReset() / count / 1e3))
        .put("redis_us", Stats.round(redisNanos.sumThenReset() / count / 1e3))
        .put("nats_us", Stats.round(natsNanos.sumThenReset() / count / 1e3));
  }

  /** XADD, EXPIRE and PUBLISH for every event, pipelined, then one wait for all the replies. */
  private void pipeline(String jobId, List<String> jobEvents) throws Exception {
    RedisAsyncCommands<String, String> commands = redis.async();
    String key = prefix + "langgraph:events:" + jobId;
    List<RedisFuture<?>> replies = new ArrayList<>(jobEvents.size() * 3);
    for (int i = 0; i < jobEvents.size(); i++) {
      String event = jobEvents.get(i);
      replies.add(commands.xadd(key, capped, "event", event));
      // As the service: the expiry on the first, every 64th and the last event.
      if (i % 64 == 0 || i == jobEvents.size() - 1) replies.add(commands.expire(key, 900));
      replies.add(commands.publish(prefix + "langgraph:stream:" + jobId, event));
    }
    for (RedisFuture<?> reply : replies) reply.get(5, TimeUnit.SECONDS);
  }

  /** The job row with its result, committed synchronously as the service's job store does. */
  private static void saveResult(java.sql.Connection connection, String jobId, String resultEvent)
      throws SQLException {
    connection.setAutoCommit(false);
    try {
      try (var durable = connection.createStatement()) {
        durable.execute("SET LOCAL synchronous_commit TO on");
      }
      try (PreparedStatement statement = connection.prepareStatement(JOB_UPSERT)) {
        statement.setString(1, jobId);
        statement.setString(2, "trace-" + jobId);
        statement.setString(3, resultEvent);
        statement.executeUpdate();
      }
      connection.commit();
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static void read(java.sql.Connection connection, String jobId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(JOB_READ)) {
      statement.setString(1, jobId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) rows.getString(3);
      }
    }
  }

  private static void insert(java.sql.Connection connection, String jobId, CheckpointRow row)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(PUT_SQL)) {
      statement.setString(1, jobId);
      statement.setString(2, row.namespace());
      statement.setArray(3, connection.createArrayOf("text", row.channels().toArray()));
      statement.setArray(4, connection.createArrayOf("text", row.versions().toArray()));
      statement.setArray(5, connection.createArrayOf("text", row.types().toArray()));
      statement.setArray(6, connection.createArrayOf("bytea", row.blobs().toArray(byte[][]::new)));
      statement.setString(7, jobId);
      statement.setString(8, row.namespace());
      statement.setString(9, row.id());
      statement.setString(10, row.parentId());
      statement.setString(11, row.checkpoint());
      statement.setString(12, row.metadata());
      statement.executeUpdate();
    }
  }

  /** The job's checkpoint rows, oldest first, each with the blobs whose version it introduced. */
  private static List<CheckpointRow> checkpointRows(String schema, String jobId)
      throws SQLException {
    List<CheckpointRow> rows = new ArrayList<>();
    try (java.sql.Connection admin = PostgresTestSchema.admin()) {
      try (PreparedStatement statement =
          admin.prepareStatement(
              "select checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint::text, metadata::text from "
                  + schema
                  + ".checkpoints where thread_id = ? order by checkpoint_ns, checkpoint_id")) {
        statement.setString(1, jobId);
        try (ResultSet row = statement.executeQuery()) {
          while (row.next()) {
            rows.add(
                new CheckpointRow(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getString(5),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new ArrayList<>()));
          }
        }
      }
      if (rows.isEmpty())
        throw new IllegalStateException("no checkpoints of " + jobId + " in " + schema);
      try (PreparedStatement statement =
          admin.prepareStatement(
              "select channel, version, type, blob from "
                  + schema
                  + ".checkpoint_blobs where thread_id = ? order by version, channel")) {
        statement.setString(1, jobId);
        try (ResultSet blob = statement.executeQuery()) {
          for (int i = 0; blob.next(); i++) { // round robin: the same statements and bytes in all
            CheckpointRow owner = rows.get(i % rows.size());
            owner.channels().add(blob.getString(1));
            owner.versions().add(blob.getString(2));
            owner.types().add(blob.getString(3));
            owner.blobs().add(blob.getBytes(4));
          }
        }
      }
    }
    return rows;
  }

  @Override
  public void close() throws Exception {
    if (pool != null) pool.close();
    PostgresTestSchema.execute("drop schema if exists " + schema + " cascade");
    if (redis != null) redis.close();
    if (redisClient != null) redisClient.shutdown();
    BenchEnvironment.deleteRedisKeys(prefix);
    if (nats != null) {
      try {
        nats.jetStreamManagement().deleteStream(stream);
      } finally {
        nats.close();
      }
    }
  }
}
