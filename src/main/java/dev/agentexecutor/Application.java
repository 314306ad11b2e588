package dev.agentexecutor;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.ingress.http.HttpApi;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.ModelRouter;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.Readiness;
import dev.agentexecutor.observability.Redactor;
import dev.agentexecutor.observability.Tracing;
import dev.agentexecutor.runner.JobRunner;
import dev.agentexecutor.runner.ThreadAdmin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service: backends, model, runner, HTTP API and (when NATS is configured) the JetStream
 * worker, started in that order and stopped in reverse: stop intake, drain running jobs, close.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);

  private final Settings settings;
  private final Metrics metrics = new Metrics();
  private final Tracing tracing;
  private final Infrastructure infrastructure;
  private final JobRunner runner;
  private final HttpApi http;
  private volatile boolean closed;

  private Application(Settings settings) {
    this.settings = settings;
    this.tracing = Tracing.create(settings.otlpEndpoint(), settings.otelServiceName());
    this.infrastructure = Infrastructure.connect(settings, metrics);
    Redactor redactor = redactor(settings);
    ModelClient model = new ModelRouter(settings.model(), metrics);
    this.runner = new JobRunner(infrastructure.backends, model, settings, metrics, redactor, tracing, Clock.systemUTC());
    Readiness readiness = new Readiness(infrastructure.healthChecks, Duration.ofMillis(900));
    this.http = new HttpApi(runner, new ThreadAdmin(infrastructure.backends, runner), infrastructure.backends.events(),
        readiness, metrics, settings.maxPayloadBytes());
  }

  /** Starts the whole service; the returned application is serving when this returns. */
  public static Application start(Settings settings) {
    Application app = new Application(settings);
    app.http.start(settings.port());
    log.info("agent-executor serving on port {}", app.http.port());
    return app;
  }

  /** The service without its HTTP and NATS intake, for running jobs in process (command line, benchmarks). */
  public static Application offline(Settings settings) {
    return new Application(settings);
  }

  public dev.agentexecutor.runner.Backends backends() {
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

  static Redactor redactor(Settings settings) {
    var secrets = new java.util.ArrayList<String>(List.of(settings.model().openAiApiKey(), settings.model().anthropicApiKey()));
    settings.postgres().ifPresent(p -> secrets.add(p.password()));
    return new Redactor(secrets);
  }

  /** Graceful stop: no new jobs, running ones finish within the drain timeout, then connections close. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    log.info("agent-executor stopping");
    http.close();
    infrastructure.close();
    tracing.close();
    log.info("agent-executor stopped");
  }
}
