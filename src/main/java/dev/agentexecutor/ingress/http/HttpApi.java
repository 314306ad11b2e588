package dev.agentexecutor.ingress.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.JobExecutionEvent;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.job.Problem;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.Readiness;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.runner.JobRunner;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.runner.ThreadAdmin;
import dev.agentexecutor.store.BackendUnavailableException;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.util.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.websocket.WsConfig;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface: POST / (CloudEvent in, result event out), the client API under both "" and
 * /deepagents-runtime (invoke, state, stream, cleanup, cancel), health, readiness and metrics.
 * Handlers only translate; errors are mapped to responses in one place.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final String[] CLIENT_PREFIXES = {"", "/deepagents-runtime"};

  private final JobRunner runner;
  private final ThreadAdmin admin;
  private final EventStream events;
  private final Readiness readiness;
  private final Metrics metrics;
  private final long maxPayloadBytes;
  private final Javalin app;
  private final Map<Object, EventStream.Subscription> webSocketFollows = new ConcurrentHashMap<>();
  private volatile boolean draining;
  private final int maxHttpJobs;
  /** Jobs running for HTTP clients (POST / and /invoke); NATS intake has its own slots. */
  private final java.util.concurrent.Semaphore httpJobSlots;

  public HttpApi(JobRunner runner, ThreadAdmin admin, EventStream events, Readiness readiness, Metrics metrics,
      long maxPayloadBytes, int maxHttpJobs) {
    this.maxHttpJobs = maxHttpJobs;
    this.httpJobSlots = new java.util.concurrent.Semaphore(maxHttpJobs);
    this.runner = runner;
    this.admin = admin;
    this.events = events;
    this.readiness = readiness;
    this.metrics = metrics;
    this.maxPayloadBytes = maxPayloadBytes;
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.jsonMapper(new io.javalin.json.JavalinJackson(Json.MAPPER, true));
      config.useVirtualThreads = true;
      config.http.maxRequestSize = Long.MAX_VALUE; // enforced by readBody with a precise 413
      config.jetty.modifyWebSocketServletFactory(factory -> factory.setIdleTimeout(Duration.ofHours(2)));
      config.requestLogger.http(this::recordRequest);
    });
    routes();
  }

  public HttpApi start(int port) {
    app.start(port);
    return this;
  }

  public int port() {
    return app.port();
  }

  /** Adds the browser run viewer and the routes it needs (see {@link UiRoutes}). */
  public HttpApi with(UiRoutes ui) {
    ui.register(app);
    return this;
  }

  @Override
  public void close() {
    webSocketFollows.values().forEach(EventStream.Subscription::close);
    app.stop();
  }

  private void routes() {
    app.post("/", this::executeCloudEvent);
    for (String prefix : CLIENT_PREFIXES) {
      app.post(prefix + "/invoke", this::invoke);
      app.get(prefix + "/state/{thread_id}", this::state);
      app.delete(prefix + "/cleanup/{thread_id}", this::cleanup);
      app.post(prefix + "/cancel/{thread_id}", this::cancel);
      app.ws(prefix + "/stream/{thread_id}", this::webSocket);
      app.sse(prefix + "/stream/{thread_id}/events", this::serverSentEvents);
    }
    app.get("/health", ctx -> ctx.json(Json.object().put("status", "healthy").put("timestamp", Instant.now().toString())));
    app.get("/ready", this::ready);
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    app.exception(InvalidJobException.class, (e, ctx) -> problem(ctx, e.status(), "invalid_request", e));
    app.exception(BackendUnavailableException.class, (e, ctx) -> {
      ctx.header("Retry-After", "5");
      error(ctx, 503, "backend_unavailable", e.getMessage());
    });
    app.exception(Exception.class, (e, ctx) -> {
      log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
      error(ctx, 500, "internal_error", "the request failed unexpectedly; see the service log");
    });
  }

  private void executeCloudEvent(Context ctx) throws IOException {
    byte[] body = readBody(ctx);
    Map<String, String> headers = ctx.headerMap();
    JobExecutionEvent job = JobParser.fromCloudEvent(headers, body, maxPayloadBytes);
    TraceContext trace = JobParser.traceOf(headers, body);
    if (!httpJobSlots.tryAcquire()) {
      tooBusy(ctx);
      return;
    }
    try {
      respond(ctx, runner.execute(job, trace));
    } finally {
      httpJobSlots.release();
    }
  }

  /** 429: this instance already runs MAX_CONCURRENT_HTTP_JOBS jobs for HTTP clients. */
  private void tooBusy(Context ctx) {
    ctx.header("Retry-After", "1");
    error(ctx, 429, "too_many_jobs", "this instance is running its limit of " + maxHttpJobs
        + " HTTP jobs (MAX_CONCURRENT_HTTP_JOBS); retry later or submit through NATS");
  }

  private void respond(Context ctx, Outcome outcome) {
    switch (outcome) {
      case Outcome.Completed c -> resultEvent(ctx, c.result());
      case Outcome.Failed f -> resultEvent(ctx, f.result());
      case Outcome.Rejected r -> resultEvent(ctx.status(400), r.result());
      case Outcome.Retry r -> {
        ctx.header("Retry-After", "5");
        error(ctx, 503, "backend_unavailable", r.reason());
      }
      case Outcome.AlreadyRunning a -> error(ctx, 409, "already_running", "job " + a.jobId() + " is already running");
    }
  }

  private void resultEvent(Context ctx, io.cloudevents.CloudEvent event) {
    ctx.contentType("application/cloudevents+json").result(ResultEvents.toJson(event));
  }

  private void invoke(Context ctx) throws IOException {
    JobExecutionEvent job = JobParser.fromJobJson(readBody(ctx), maxPayloadBytes);
    if (!httpJobSlots.tryAcquire()) {
      tooBusy(ctx);
      return;
    }
    if (!runner.start(job, TraceContext.fromHeaders(ctx.headerMap()), httpJobSlots::release)) {
      httpJobSlots.release();
      error(ctx, 409, "already_running", "job " + job.jobId() + " is already running");
      return;
    }
    ctx.json(Json.object().put("thread_id", job.jobId()).put("status", "started"));
  }

  private void state(Context ctx) {
    String threadId = ctx.pathParam("thread_id");
    admin.state(threadId).ifPresentOrElse(ctx::json,
        () -> error(ctx, 404, "not_found", "no job with thread_id '" + threadId + "'"));
  }

  private void cleanup(Context ctx) {
    String threadId = ctx.pathParam("thread_id");
    switch (admin.cleanup(threadId)) {
      case REMOVED -> ctx.status(204);
      case NOT_FOUND -> error(ctx, 404, "not_found", "no job with thread_id '" + threadId + "'");
      case RUNNING -> error(ctx, 409, "running", "job " + threadId + " is running: cancel it first");
    }
  }

  private void cancel(Context ctx) {
    String threadId = ctx.pathParam("thread_id");
    if (runner.cancel(threadId)) {
      ctx.status(202).json(Json.object().put("thread_id", threadId).put("status", "cancelling"));
      return;
    }
    admin.state(threadId).ifPresentOrElse(
        state -> error(ctx, 409, "not_running", "job " + threadId + " is not running (status " + state.path("status").asText() + ")"),
        () -> error(ctx, 404, "not_found", "no job with thread_id '" + threadId + "'"));
  }

  private void webSocket(WsConfig ws) {
    ws.onConnect(ctx -> {
      String threadId = ctx.pathParam("thread_id");
      EventStream.Subscription follow = events.follow(threadId, null, event -> {
        ctx.send(event.event().toJson());
        if (event.event().isEnd()) ctx.closeSession(1000, "end");
      });
      webSocketFollows.put(ctx.session, follow);
    });
    ws.onMessage(ctx -> { /* inbound frames (pings, client chatter) are tolerated and ignored */ });
    ws.onClose(ctx -> closeFollow(ctx.session));
    ws.onError(ctx -> closeFollow(ctx.session));
  }

  private void closeFollow(Object session) {
    EventStream.Subscription follow = webSocketFollows.remove(session);
    if (follow != null) follow.close();
  }

  private void serverSentEvents(SseClient client) {
    client.keepAlive();
    String threadId = client.ctx().pathParam("thread_id");
    String lastEventId = client.ctx().header("Last-Event-ID");
    EventStream.Subscription follow = events.follow(threadId, lastEventId, event -> {
      client.sendEvent("message", event.event().toJson(), event.id());
      if (event.event().isEnd()) client.close();
    });
    client.onClose(follow::close);
  }

  /** From now on /ready answers 503, so that load balancers stop sending work while we drain. */
  public void markDraining() {
    draining = true;
  }

  private void ready(Context ctx) {
    if (draining) {
      ObjectNode body = Json.object().put("status", "not_ready").put("reason", "shutting down");
      body.putObject("services");
      ctx.status(503).json(body.put("timestamp", Instant.now().toString()));
      return;
    }
    Readiness.Report report = readiness.check();
    ctx.status(report.ready() ? 200 : 503).json(report.body());
  }

  /** Reads the body up to the payload limit, answering 413 precisely when it is larger. */
  private byte[] readBody(Context ctx) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxPayloadBytes) throw tooLarge(declared);
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxPayloadBytes + 1));
      if (body.length > maxPayloadBytes) throw tooLarge(-1);
      return body;
    }
  }

  private InvalidJobException tooLarge(long size) {
    String actual = size >= 0 ? "is " + size + " bytes" : "is larger than that";
    return new InvalidJobException(413, java.util.List.of(new Problem("BODY_TOO_LARGE", "$",
        "the body " + actual + "; the limit is " + maxPayloadBytes + " bytes (MAX_PAYLOAD_BYTES)")), null);
  }

  private static void problem(Context ctx, int status, String code, InvalidJobException e) {
    ObjectNode body = Json.object().put("error", code).put("message", e.getMessage());
    body.set("problems", Json.tree(e.problems()));
    if (e.jobId() != null) body.put("job_id", e.jobId());
    ctx.status(status).json(body);
  }

  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).json(Json.object().put("error", code).put("message", message));
  }

  private void recordRequest(Context ctx, Float millis) {
    String route = ctx.endpointHandlerPath();
    Timer.builder("agent_executor_http_requests")
        .description("HTTP requests served")
        .tag("method", ctx.method().name())
        .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(metrics.registry())
        .record((long) (millis * 1000), TimeUnit.MICROSECONDS);
  }
}
