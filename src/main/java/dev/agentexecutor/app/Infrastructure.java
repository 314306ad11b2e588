package dev.agentexecutor.app;

import dev.agentexecutor.cancel.CancelSignals;
import dev.agentexecutor.cancel.MemoryCancelSignals;
import dev.agentexecutor.cancel.postgres.PostgresCancelSignals;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.checkpoint.postgres.PostgresCheckpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.nats.NatsConnector;
import dev.agentexecutor.observability.HealthCheck;
import dev.agentexecutor.observability.Redactor;
import dev.agentexecutor.postgres.Migrations;
import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.postgres.PostgresMigrator;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.publish.ResultPublisher;
import dev.agentexecutor.publish.nats.NatsResultPublisher;
import dev.agentexecutor.runner.Backends;
import dev.agentexecutor.store.JobStore;
import dev.agentexecutor.store.MemoryJobStore;
import dev.agentexecutor.store.MemoryThreadTurns;
import dev.agentexecutor.store.RetentionSweeper;
import dev.agentexecutor.store.ThreadTurns;
import dev.agentexecutor.store.postgres.PostgresJobStore;
import dev.agentexecutor.store.postgres.PostgresThreadTurns;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.stream.MemoryEventStream;
import dev.agentexecutor.stream.redis.RedisEventStream;
import dev.agentexecutor.util.BackgroundRetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and connects the backends: each one that is configured is used, each one that is not
 * falls back to its in-memory adapter, and the choice is logged and reported by /ready. Nothing
 * here waits for a backend: unreachable ones are retried in the background.
 */
final class Infrastructure implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);
  private static final int MEMORY_EVENTS_PER_THREAD = 100_000;

  final Backends backends;
  final List<HealthCheck> healthChecks;
  private final Resources resources = new Resources();
  private final List<HealthCheck> checks = new ArrayList<>();
  private NatsConnector nats;

  private Infrastructure(Settings settings) {
    Storage storage = storage(settings);
    this.backends =
        new Backends(
            storage.checkpoints(),
            storage.jobs(),
            events(settings),
            results(settings),
            storage.cancels(),
            storage.turns());
    this.healthChecks = List.copyOf(checks);
  }

  static Infrastructure connect(Settings settings) {
    return new Infrastructure(settings);
  }

  private record Storage(
      Checkpointer checkpoints, JobStore jobs, CancelSignals cancels, ThreadTurns turns) {}

  private Storage storage(Settings settings) {
    Storage storage;
    if (settings.postgres().isPresent()) {
      Settings.Postgres pg = settings.postgres().get();
      PostgresDatabase database = resources.add("postgresql", PostgresDatabase.connect(pg));
      BackgroundRetry migrated =
          pg.migrateOnStart()
              ? resources.add(
                  "postgresql-migrations",
                  BackgroundRetry.start(
                      "postgresql-migrations",
                      () ->
                          new PostgresMigrator(
                                  database.dataSource(), pg.schema(), Migrations.fromClasspath())
                              .up()))
              : null;
      checks.add(
          HealthCheck.of(
              "postgresql",
              "postgresql",
              () -> (migrated == null || migrated.done()) && database.ping()));
      // Cancel requests reach every replica through the same database (LISTEN/NOTIFY).
      CancelSignals cancels =
          resources.add("postgresql-cancel-listener", PostgresCancelSignals.start(database));
      storage =
          new Storage(
              new PostgresCheckpointer(database),
              new PostgresJobStore(database),
              cancels,
              new PostgresThreadTurns(database));
      log.info(
          "checkpoints and job results: PostgreSQL {} (schema {})",
          Redactor.url(pg.jdbcUrl()),
          pg.schema());
    } else {
      MemoryCheckpointer checkpoints = new MemoryCheckpointer();
      storage =
          new Storage(
              checkpoints,
              new MemoryJobStore(checkpoints),
              new MemoryCancelSignals(),
              new MemoryThreadTurns());
      checks.add(HealthCheck.embedded("checkpoints"));
      log.info(
          "checkpoints and job results: in memory (set DATABASE_URL or POSTGRES_HOST for PostgreSQL)");
    }
    resources
        .add(
            "retention-sweeper",
            new RetentionSweeper(
                storage.jobs(),
                settings.limits().resultRetention(),
                settings.limits().retentionSweepInterval()))
        .start();
    return storage;
  }

  private EventStream events(Settings settings) {
    if (settings.redis().isPresent()) {
      RedisEventStream redis = resources.add("redis", new RedisEventStream(settings.redis().get()));
      checks.add(HealthCheck.of("redis", "redis", redis::ping));
      log.info("event streaming: {}", settings.redis().get());
      return redis;
    }
    checks.add(HealthCheck.embedded("streaming"));
    log.info("event streaming: in memory (set REDIS_URL or DRAGONFLY_HOST for Dragonfly/Redis)");
    return new MemoryEventStream(MEMORY_EVENTS_PER_THREAD, settings.eventRetention());
  }

  private ResultPublisher results(Settings settings) {
    if (settings.nats().isPresent()) {
      Settings.Nats config = settings.nats().get();
      nats = resources.add("nats", new NatsConnector(config).start());
      log.info(
          "jobs and result events: NATS JetStream {} (stream {}, consumer {})",
          Redactor.url(config.url()),
          config.streamName(),
          config.consumerName());
      return new NatsResultPublisher(nats);
    }
    checks.add(HealthCheck.embedded("results"));
    log.info("result events: in memory, HTTP only (set NATS_URL for NATS JetStream)");
    return new MemoryResultPublisher();
  }

  /** The NATS connection when NATS is configured: the worker pulls jobs through it. */
  Optional<NatsConnector> nats() {
    return Optional.ofNullable(nats);
  }

  /** Closes in reverse order of opening; a failure to close one does not keep the others open. */
  @Override
  public void close() {
    resources.close();
  }
}
