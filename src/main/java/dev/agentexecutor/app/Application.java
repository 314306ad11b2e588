package dev.agentexecutor.app;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.ingress.http.HttpApi;
import dev.agentexecutor.ingress.http.UiRoutes;
import dev.agentexecutor.ingress.nats.JetStreamWorker;
import dev.agentexecutor.job.JobParser;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service: backends, model, runner, HTTP API and (when NATS is configured) the JetStream
 * worker, opened in that order and stopped as {@link Shutdown} says: intake, drain, abandon and
 * join, then close in reverse order.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);
  private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(25);

  /** How long the NATS worker gets to settle the messages of jobs that have just ended. */
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(2);

  private final Settings settings;
  private final Metrics metrics = new Metrics();
  private final Resources resources = new Resources();
  private final Infrastructure infrastructure;
  private final JobRunner runner;
  private final HttpApi http;
  private final JetStreamWorker worker;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

  private Application(Settings settings) {
    this.settings = settings;
    Tracing tracing =
        resources.add(
            "tracing", Tracing.create(settings.otlpEndpoint(), settings.otelServiceName()));
    this.infrastructure = resources.add("backends", Infrastructure.connect(settings));
    ModelRouter model = resources.add("model", new ModelRouter(settings.model(), metrics));
    this.runner =
        new JobRunner(
            infrastructure.backends,
            model,
            settings,
            metrics,
            redactor(settings),
            tracing,
            Clock.systemUTC());
    JobParser parser = new JobParser(settings.maxPayloadBytes(), settings.limits().state());
    List<HealthCheck> checks = new ArrayList<>(infrastructure.healthChecks);
    ThreadAdmin admin = new ThreadAdmin(infrastructure.backends, runner);
    this.worker =
        infrastructure
            .nats()
            .map(nats -> new JetStreamWorker(nats, parser, runner, admin, metrics))
            .orElse(null);
    if (worker != null) {
      NatsConnector nats = infrastructure.nats().orElseThrow();
      checks.add(HealthCheck.of("nats", "nats", () -> nats.isReady() && worker.isAlive()));
    }
    this.http =
        resources.add(
            "http",
            new HttpApi(
                    runner,
                    admin,
                    infrastructure.backends.events(),
                    new Readiness(checks, Duration.ofMillis(900)),
                    metrics,
                    parser,
                    settings.maxConcurrentHttpJobs(),
                    settings.clientApi())
                .with(new UiRoutes(settings.uiEnabled(), parser)));
    if (worker != null) resources.add("nats-worker", worker);
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

  /**
   * Graceful stop (see {@link Shutdown}): no new jobs, running ones finish within the drain timeout
   * or are abandoned and joined, then everything closes. A second call waits for the first.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitClosed();
      return;
    }
    try {
      log.info("agent-executor stopping");
      List<Runnable> stopIntake = new ArrayList<>(List.of(http::stopIntake));
      if (worker != null) stopIntake.add(worker::stopIntake);
      Runnable settle = worker == null ? () -> {} : this::settleMessages;
      new Shutdown(stopIntake, runner, drainTimeout(), settle, resources).run();
      log.info("agent-executor stopped");
    } finally {
      closed.countDown();
    }
  }

  /** The NATS worker acks or naks the messages of the jobs that just ended (or were abandoned). */
  private void settleMessages() {
    if (worker.drain(SETTLE_TIMEOUT)) log.info("NATS worker drained");
    else log.warn("NATS worker: unsettled messages were nak'ed for another worker");
  }

  private void awaitClosed() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
