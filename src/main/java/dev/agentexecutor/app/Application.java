package dev.agentexecutor.app;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.ingress.http.HttpApi;
import dev.agentexecutor.ingress.http.UiRoutes;
import dev.agentexecutor.ingress.nats.JetStreamWorker;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.provider.ModelRouter;
import dev.agentexecutor.nats.NatsConnector;
import dev.agentexecutor.observability.HealthCheck;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.Readiness;
import dev.agentexecutor.observability.Redactor;
import dev.agentexecutor.observability.Tracing;
import dev.agentexecutor.runner.Backends;
import dev.agentexecutor.runner.JobRunner;
import dev.agentexecutor.runner.ThreadAdmin;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service: backends, model, runner, HTTP API and (when NATS is configured) the JetStream
 * worker, started in that order and stopped in reverse: stop intake, drain running jobs, close.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);
  private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(25);

  private final Settings settings;
  private final Metrics metrics = new Metrics();
  private final Tracing tracing;
  private final Infrastructure infrastructure;
  private final JobRunner runner;
  private final HttpApi http;
  private final JetStreamWorker worker;
  private volatile boolean closed;

  private Application(Settings settings) {
    this.settings = settings;
    this.tracing = Tracing.create(settings.otlpEndpoint(), settings.otelServiceName());
    this.infrastructure = Infrastructure.connect(settings);
    Redactor redactor = redactor(settings);
    ModelClient model = new ModelRouter(settings.model(), metrics);
    this.runner =
        new JobRunner(
            infrastructure.backends,
            model,
            settings,
            metrics,
            redactor,
            tracing,
            Clock.systemUTC());
    List<HealthCheck> checks = new ArrayList<>(infrastructure.healthChecks);
    this.worker =
        infrastructure
            .nats()
            .map(nats -> new JetStreamWorker(nats, settings.maxPayloadBytes(), runner, metrics))
            .orElse(null);
    if (worker != null) {
      NatsConnector nats = infrastructure.nats().orElseThrow();
      checks.add(HealthCheck.of("nats", "nats", () -> nats.isReady() && worker.isAlive()));
    }
    Readiness readiness = new Readiness(checks, Duration.ofMillis(900));
    this.http =
        new HttpApi(
                runner,
                new ThreadAdmin(infrastructure.backends, runner),
                infrastructure.backends.events(),
                readiness,
                metrics,
                settings.maxPayloadBytes(),
                settings.maxConcurrentHttpJobs(),
                settings.clientApi())
            .with(new UiRoutes(settings.uiEnabled(), settings.maxPayloadBytes()));
  }

  /** Starts the whole service; the returned application is serving when this returns. */
  public static Application start(Settings settings) {
    Application app = new Application(settings);
    app.http.start(settings.port());
    if (app.worker != null) app.worker.start();
    log.info(
        "agent-executor serving on port {}{}",
        app.http.port(),
        app.worker == null ? " (HTTP only)" : " and consuming NATS");
    return app;
  }

  /**
   * The service without its HTTP and NATS intake, for running jobs in process (command line,
   * benchmarks).
   */
  public static Application offline(Settings settings) {
    return new Application(settings);
  }

  public Backends backends() {
    return infrastructure.backends;
  }

  public int port() {
    return http.port();
  }

  public JobRunner runner() {
    return runner;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Every secret value the configuration holds, to be removed from errors and logs. */
  static Redactor redactor(Settings settings) {
    return new Redactor(settings.secretValues());
  }

  private Duration drainTimeout() {
    return settings.nats().map(Settings.Nats::drainTimeout).orElse(DEFAULT_DRAIN);
  }

  /** Jobs started over HTTP have no message to nak: give them until the deadline to finish. */
  private void awaitHttpJobs(long deadline) {
    try {
      while (runner.runningCount() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (runner.runningCount() > 0) {
      log.warn(
          "{} HTTP-started jobs still running at shutdown; their checkpoints let a resubmission resume them",
          runner.runningCount());
    }
  }

  /**
   * Graceful stop: no new jobs, running ones finish within the drain timeout, then connections
   * close.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    log.info("agent-executor stopping");
    http.markDraining();
    long deadline = System.nanoTime() + drainTimeout().toNanos();
    if (worker != null) {
      boolean drained = worker.drain(drainTimeout());
      log.info(
          drained
              ? "NATS worker drained"
              : "drain timeout ({}) reached: unfinished jobs were nak'ed for redelivery",
          drainTimeout());
    }
    awaitHttpJobs(deadline);
    http.close();
    infrastructure.close();
    tracing.close();
    log.info("agent-executor stopped");
  }
}
