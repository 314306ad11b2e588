package dev.agentexecutor;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.observability.HealthCheck;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.publish.ResultPublisher;
import dev.agentexecutor.runner.Backends;
import dev.agentexecutor.store.JobStore;
import dev.agentexecutor.store.MemoryJobStore;
import dev.agentexecutor.store.RetentionSweeper;
import dev.agentexecutor.checkpoint.postgres.PostgresCheckpointer;
import dev.agentexecutor.store.postgres.Migrations;
import dev.agentexecutor.store.postgres.PostgresDatabase;
import dev.agentexecutor.store.postgres.PostgresJobStore;
import dev.agentexecutor.store.postgres.PostgresMigrator;
import dev.agentexecutor.util.BackgroundRetry;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.stream.MemoryEventStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.agentexecutor.publish.nats.NatsConnector;
import dev.agentexecutor.publish.nats.NatsResultPublisher;
import dev.agentexecutor.stream.redis.RedisEventStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and connects the backends: each one that is configured is used, each one that is not
 * falls back to its in-memory adapter, and the choice is logged and reported by /ready.
 */
final class Infrastructure implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);
  private static final int MEMORY_EVENTS_PER_THREAD = 100_000;

  final Backends backends;
  final List<HealthCheck> healthChecks;
  private final List<AutoCloseable> closeables;
  private final NatsConnector nats;

  private Infrastructure(Backends backends, List<HealthCheck> healthChecks, List<AutoCloseable> closeables, NatsConnector nats) {
    this.backends = backends;
    this.healthChecks = List.copyOf(healthChecks);
    this.closeables = closeables;
    this.nats = nats;
  }

  static Infrastructure connect(Settings settings, Metrics metrics) {
    List<HealthCheck> checks = new ArrayList<>();
    List<AutoCloseable> closeables = new ArrayList<>();

    Checkpointer checkpointer;
    JobStore jobs;
    if (settings.postgres().isPresent()) {
      Settings.Postgres pg = settings.postgres().get();
      PostgresDatabase database = PostgresDatabase.connect(pg);
      closeables.add(database);
      checkpointer = new PostgresCheckpointer(database);
      jobs = new PostgresJobStore(database);
      BackgroundRetry migrated = pg.migrateOnStart()
          ? BackgroundRetry.start("postgresql-migrations",
              () -> new PostgresMigrator(database.dataSource(), pg.schema(), Migrations.fromClasspath()).up())
          : null;
      if (migrated != null) closeables.add(migrated);
      checks.add(HealthCheck.of("postgresql", "postgresql", () -> (migrated == null || migrated.done()) && database.ping()));
      log.info("checkpoints and job results: PostgreSQL {} (schema {})", pg.jdbcUrl(), pg.schema());
    } else {
      checkpointer = new MemoryCheckpointer();
      jobs = new MemoryJobStore(checkpointer);
      checks.add(HealthCheck.embedded("checkpoints"));
      log.info("checkpoints and job results: in memory (set DATABASE_URL or POSTGRES_HOST for PostgreSQL)");
    }
    RetentionSweeper sweeper = new RetentionSweeper(jobs, settings.limits().resultRetention(),
        settings.limits().retentionSweepInterval());
    sweeper.start();
    closeables.add(sweeper);

    EventStream events;
    if (settings.redis().isPresent()) {
      RedisEventStream redis = new RedisEventStream(settings.redis().get());
      closeables.add(redis);
      events = redis;
      checks.add(HealthCheck.of("redis", "redis", redis::ping));
      log.info("event streaming: {}", settings.redis().get());
    } else {
      events = new MemoryEventStream(MEMORY_EVENTS_PER_THREAD, settings.eventRetention());
      checks.add(HealthCheck.embedded("streaming"));
      log.info("event streaming: in memory (set REDIS_URL or DRAGONFLY_HOST for Dragonfly/Redis)");
    }

    ResultPublisher results;
    NatsConnector nats = null;
    if (settings.nats().isPresent()) {
      nats = new NatsConnector(settings.nats().get()).start();
      closeables.add(nats);
      results = new NatsResultPublisher(nats);
      log.info("jobs and result events: NATS JetStream {} (stream {}, consumer {})", settings.nats().get().url(),
          settings.nats().get().streamName(), settings.nats().get().consumerName());
    } else {
      results = new MemoryResultPublisher();
      checks.add(HealthCheck.embedded("results"));
      log.info("result events: in memory, HTTP only (set NATS_URL for NATS JetStream)");
    }

    return new Infrastructure(new Backends(checkpointer, jobs, events, results), checks, closeables, nats);
  }

  /** The NATS connection when NATS is configured: the worker pulls jobs through it. */
  Optional<NatsConnector> nats() {
    return Optional.ofNullable(nats);
  }

  @Override
  public void close() {
    for (AutoCloseable closeable : closeables.reversed()) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
