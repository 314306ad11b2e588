package dev.agentexecutor.ingress.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.checkpoint.CheckpointIncompatibleException;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.job.ParsedJob;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.job.ResumeRequest;
import dev.agentexecutor.observability.BuildInfo;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.Readiness;
import dev.agentexecutor.runner.Caller;
import dev.agentexecutor.runner.JobIntake;
import dev.agentexecutor.runner.JobRuns;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.runner.Resumption;
import dev.agentexecutor.runner.Submission;
import dev.agentexecutor.runner.ThreadAdmin;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.stream.StreamedEvent;
import dev.agentexecutor.util.Ids;
import dev.agentexecutor.util.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsConfig;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface: POST / (CloudEvent in, result event out), the client API under both "" and
 * /deepagents-runtime (invoke, state, stream, cleanup, cancel), health, readiness and metrics.
 * Every client route acts for the caller its API token names (see {@link Authenticator}); another
 * tenant's job is answered like an unknown one. Handlers only translate; errors are mapped to
 * responses in one place.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final String[] CLIENT_PREFIXES = {"", "/deepagents-runtime"};
  private static final String CALLER = "agent-executor.caller";
  private static final String STREAM_ENDED = "agent-executor.stream-ended";
  private static final String STREAM_THREAD = "agent-executor.stream-thread";

  /** Most checkpoints one page of a thread's history holds, and how many when not asked. */
  private static final int MAX_HISTORY_PAGE = 200;

  private static final int DEFAULT_HISTORY_PAGE = 50;

  private final JobRuns runs;
  private final JobIntake intake;
  private final JobParser parser;
  private final ThreadAdmin admin;
  private final EventStream events;
  private final Readiness readiness;
  private final Metrics metrics;
  private final long maxPayloadBytes;
  private final Javalin app;
  private final Authenticator authenticator;

  /** Event followers (SSE and WebSocket clients) running now, at most MAX_STREAM_FOLLOWERS. */
  private final Semaphore followerSlots;

  private final int maxFollowers;
  private final Duration heartbeat;
  private final WebSocketStreams webSockets;
  private volatile boolean draining;
  private final int maxHttpJobs;

  /** Jobs running for HTTP clients (POST / and /invoke); NATS intake has its own slots. */
  private final java.util.concurrent.Semaphore httpJobSlots;

  public HttpApi(
      JobRuns runs,
      JobIntake intake,
      ThreadAdmin admin,
      EventStream events,
      Readiness readiness,
      Metrics metrics,
      JobParser parser,
      int maxHttpJobs,
      Settings.ClientApi clientApi) {
    this.authenticator = new Authenticator(new ApiTokens(clientApi.apiTokens()));
    this.maxFollowers = clientApi.maxStreamFollowers();
    this.followerSlots = new Semaphore(maxFollowers);
    this.heartbeat = clientApi.streamHeartbeat();
    this.webSockets = new WebSocketStreams(events, followerSlots, heartbeat);
    this.maxHttpJobs = maxHttpJobs;
    this.httpJobSlots = new java.util.concurrent.Semaphore(maxHttpJobs);
    this.runs = runs;
    this.intake = intake;
    this.parser = parser;
    this.admin = admin;
    this.events = events;
    this.readiness = readiness;
    this.metrics = metrics;
    this.maxPayloadBytes = parser.maxPayloadBytes();
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.jsonMapper(new io.javalin.json.JavalinJackson(Json.MAPPER, true));
              config.useVirtualThreads = true;
              config.http.maxRequestSize =
                  Long.MAX_VALUE; // enforced by readBody with a precise 413
              config.jetty.modifyWebSocketServletFactory(
                  factory -> factory.setIdleTimeout(Duration.ofHours(2)));
              config.requestLogger.http(this::recordRequest);
              config.http.prefer405over404 = true;
              // Jetty's own answers (unparseable requests, 414, 431, WebSocket upgrade to no route)
              // in JSON
              config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
              config.jetty.modifyServletContextHandler(
                  context -> context.setErrorHandler(new JsonErrorHandler()));
            });
    routes();
  }

  public HttpApi start(int port) {
    app.start(port);
    if (!authenticator.enabled() && !loopbackOnly()) {
      log.warn(
          "API_TOKENS is not set: every job's state, files and events can be read, cancelled and deleted by "
              + "anyone who reaches port {} (it listens beyond loopback). Set API_TOKENS for any non-local use.",
          port());
    }
    return this;
  }

  /**
   * True when every connector listens on a loopback address only (Javalin's default is all
   * interfaces).
   */
  private boolean loopbackOnly() {
    for (var connector : app.jettyServer().server().getConnectors()) {
      String host = connector instanceof ServerConnector server ? server.getHost() : null;
      try {
        if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) return false;
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return true;
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
    webSockets.close();
    app.stop();
  }

  private void routes() {
    app.before(ctx -> ctx.attribute(CALLER, authenticator.authenticate(ctx)));
    app.post("/", this::executeCloudEvent);
    JobsRoute jobs = new JobsRoute(admin);
    for (String prefix : CLIENT_PREFIXES) {
      app.get(prefix + "/jobs", jobs::list);
      app.post(prefix + "/invoke", this::invoke);
      app.get(prefix + "/state/{thread_id}", this::state);
      app.get(prefix + "/threads/{thread_id}/history", this::history);
      app.delete(prefix + "/cleanup/{thread_id}", this::cleanup);
      app.post(prefix + "/cancel/{thread_id}", this::cancel);
      app.post(prefix + "/jobs/{job_id}/resume", this::resume);
      app.wsBeforeUpgrade(prefix + "/stream/{thread_id}", this::beforeWebSocketUpgrade);
      app.ws(prefix + "/stream/{thread_id}", this::webSocket);
      app.get(prefix + "/stream/{thread_id}/events", this::serverSentEvents);
    }
    app.get(
        "/health",
        ctx ->
            ctx.json(
                Json.object()
                    .put("status", "healthy")
                    .put("version", BuildInfo.current().version())
                    .put("commit", BuildInfo.current().commit())
                    .put("timestamp", Instant.now().toString())));
    app.get("/ready", this::ready);
    app.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    app.exception(HttpResponseException.class, this::noRouteOrHttpError);
    app.exception(
        ApiProblem.class,
        (e, ctx) -> {
          e.headers().forEach(ctx::header);
          error(ctx, e.status(), e.code(), e.getMessage());
        });
    app.exception(
        InvalidJobException.class, (e, ctx) -> problem(ctx, e.status(), "invalid_request", e));
    app.exception(
        CheckpointIncompatibleException.class, (e, ctx) -> ctx.status(409).json(e.toProblemJson()));
    app.exception(
        BackendUnavailableException.class,
        (e, ctx) -> {
          ctx.header("Retry-After", "5");
          error(ctx, 503, "backend_unavailable", e.getMessage());
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
          error(ctx, 500, "internal_error", "the request failed unexpectedly; see the service log");
        });
  }

  private void executeCloudEvent(Context ctx) throws IOException {
    ParsedJob parsed = parser.cloudEvent(ctx.headerMap(), RequestBody.read(ctx, maxPayloadBytes));
    if (parsed instanceof ParsedJob.Cancel request) {
      // Answered like POST /cancel, also while draining; the tenant is the caller's.
      answerCancel(ctx, request.jobId(), admin.cancel(request.jobId(), caller(ctx)));
      return;
    }
    if (draining) {
      shuttingDown(ctx);
      return;
    }
    if (parsed instanceof ParsedJob.Resume resume) {
      answerResume(ctx, resume.request().withTenant(caller(ctx).tenant()));
      return;
    }
    if (parsed instanceof ParsedJob.OverLimits over) {
      // A well-formed job this instance will not run: it fails like one, with a result event.
      respond(ctx, runs.reject(over.problem(), over.trace()));
      return;
    }
    // An invalid job is answered with its problems (see the exception mappers). The tenant is the
    // caller's: a tenant attribute in an HTTP request is never trusted.
    Job job = JobParser.orThrow(parsed).withTenant(caller(ctx).tenant());
    if (!httpJobSlots.tryAcquire()) {
      tooBusy(ctx);
      return;
    }
    switch (intake.run(job, httpJobSlots::release)) {
      case Submission.Done done -> respond(ctx, done.outcome());
      case Submission.Pending pending -> {
        // The job goes on (queued for a worker, or still running): where to follow it.
        ctx.status(202)
            .header("Location", "/state/" + pending.jobId())
            .json(Json.object().put("job_id", pending.jobId()).put("status", pending.status()));
      }
    }
  }

  /**
   * 503 while this instance drains for shutdown: it takes no new job, and another instance will
   * (the readiness probe already fails, so load balancers are moving on).
   */
  private static void shuttingDown(Context ctx) {
    ctx.header("Retry-After", "1");
    error(
        ctx,
        503,
        "shutting_down",
        "this instance is shutting down and takes no new jobs; retry (another instance takes it)");
  }

  /** 429: this instance already runs MAX_CONCURRENT_HTTP_JOBS jobs for HTTP clients. */
  private void tooBusy(Context ctx) {
    ctx.header("Retry-After", "1");
    error(
        ctx,
        429,
        "too_many_jobs",
        "this instance is running its limit of "
            + maxHttpJobs
            + " HTTP jobs (MAX_CONCURRENT_HTTP_JOBS); retry later or submit through NATS");
  }

  private void respond(Context ctx, Outcome outcome) {
    switch (outcome) {
      case Outcome.Completed c -> resultEvent(ctx, c.result());
      case Outcome.Failed f -> resultEvent(ctx, f.result());
      case Outcome.Cancelled c -> resultEvent(ctx, c.result());
      case Outcome.Interrupted i -> resultEvent(ctx, i.result());
      case Outcome.Ignored i -> notInterrupted(ctx, i.jobId(), i.reason());
      case Outcome.Rejected r -> resultEvent(ctx.status(400), r.result());
      case Outcome.Retry r -> {
        if (!runs.accepting()) {
          shuttingDown(ctx);
          return;
        }
        ctx.header("Retry-After", "5");
        error(ctx, 503, "backend_unavailable", r.reason());
      }
      case Outcome.AlreadyRunning a ->
          error(ctx, 409, "already_running", "job " + a.jobId() + " is already running");
      case Outcome.OtherTenant o -> jobIdUnavailable(ctx, o.jobId());
      case Outcome.Refused r -> refused(ctx, r);
      case Outcome.Queued q -> shuttingDown(ctx); // it stopped waiting for its turn: shutting down
    }
  }

  /** A job its thread does not take: the problem, with its code's status (404 or 409). */
  private static void refused(Context ctx, Outcome.Refused refused) {
    ObjectNode body =
        Json.object()
            .put("error", refused.code().name().toLowerCase(java.util.Locale.ROOT))
            .put("message", refused.message());
    body.set(
        "problems",
        Json.tree(
            java.util.List.of(new Problem(refused.code(), refused.path(), refused.message()))));
    body.put("job_id", refused.jobId());
    ctx.status(refused.code().status()).json(body);
  }

  /** 409: the id is another tenant's job (ids are global); said without anything about that job. */
  private static void jobIdUnavailable(Context ctx, String jobId) {
    error(
        ctx,
        409,
        "job_id_unavailable",
        "job id '"
            + jobId
            + "' cannot be used; choose another (job ids are unique across tenants)");
  }

  private void resultEvent(Context ctx, io.cloudevents.CloudEvent event) {
    ctx.contentType("application/cloudevents+json").result(ResultEvents.toJson(event));
  }

  private void invoke(Context ctx) throws IOException {
    if (draining) {
      shuttingDown(ctx);
      return;
    }
    ParsedJob parsed = parser.jobJson(ctx.headerMap(), RequestBody.read(ctx, maxPayloadBytes));
    Job job = JobParser.orThrow(parsed).withTenant(caller(ctx).tenant());
    // /invoke answers before the run: a job id owned by another tenant is refused now, not found
    // later.
    if (admin.owner(job.jobId()).filter(owner -> !owner.equals(job.tenant())).isPresent()) {
      jobIdUnavailable(ctx, job.jobId());
      return;
    }
    if (job.joinsThread()
        && admin.owner(job.threadId()).filter(owner -> !owner.equals(job.tenant())).isPresent()) {
      refused(
          ctx,
          new Outcome.Refused(
              job.jobId(),
              null,
              ProblemCode.THREAD_UNAVAILABLE,
              "$.thread_id",
              "thread '" + job.threadId() + "' cannot be used; choose another thread_id"));
      return;
    }
    if (!httpJobSlots.tryAcquire()) {
      tooBusy(ctx);
      return;
    }
    switch (intake.start(job, httpJobSlots::release)) {
      case Submission.Done done -> respond(ctx, done.outcome());
      case Submission.Pending pending ->
          ctx.json(Json.object().put("thread_id", job.threadId()).put("status", "started"));
    }
  }

  /** POST /jobs/{job_id}/resume {"decisions": [...]}: 202 and the job runs again here. */
  private void resume(Context ctx) throws IOException {
    String jobId = ctx.pathParam("job_id");
    if (!Ids.isValidClientId(jobId)) {
      error(ctx, 404, "not_found", "no job with job_id '" + jobId + "'");
      return;
    }
    ParsedJob parsed =
        parser.resumeJson(ctx.headerMap(), RequestBody.read(ctx, maxPayloadBytes), jobId);
    if (!(parsed instanceof ParsedJob.Resume resume)) {
      JobParser.orThrow(parsed); // an invalid body is answered with its problems
      throw new IllegalStateException("a resume body read as " + parsed);
    }
    answerResume(ctx, resume.request().withTenant(caller(ctx).tenant()));
  }

  /**
   * Answers a resume (the route or a resume CloudEvent on POST /): 202 once the continuation is
   * taken (it runs on the job stream's workers with NATS, else here), 404, 409 NOT_INTERRUPTED, 400
   * DECISIONS_INVALID or 503.
   */
  private void answerResume(Context ctx, ResumeRequest request) {
    if (draining) {
      shuttingDown(ctx);
      return;
    }
    if (!httpJobSlots.tryAcquire()) {
      tooBusy(ctx);
      return;
    }
    Resumption resumption = intake.resume(request, caller(ctx), httpJobSlots::release);
    if (!(resumption instanceof Resumption.Started)) httpJobSlots.release();
    switch (resumption) {
      case Resumption.Started started ->
          ctx.status(202)
              .json(
                  Json.object()
                      .put("job_id", started.jobId())
                      .put("thread_id", started.threadId())
                      .put("status", "running"));
      case Resumption.NotFound notFound ->
          error(ctx, 404, "not_found", "no job with job_id '" + notFound.jobId() + "'");
      case Resumption.NotInterrupted not ->
          notInterrupted(ctx, not.jobId(), "the job is " + not.status());
      case Resumption.Invalid invalid ->
          problem(ctx, invalid.problem().status(), "invalid_request", invalid.problem());
      case Resumption.Unavailable unavailable -> {
        if (!runs.accepting()) {
          shuttingDown(ctx);
          return;
        }
        ctx.header("Retry-After", "5");
        error(ctx, 503, "backend_unavailable", unavailable.reason());
      }
    }
  }

  /** 409 NOT_INTERRUPTED: nothing waits for decisions (again) under this job id. */
  private static void notInterrupted(Context ctx, String jobId, String why) {
    String message = "job " + jobId + " is not interrupted: " + why;
    ObjectNode body = Json.object().put("error", "not_interrupted").put("message", message);
    body.putArray("problems")
        .addObject()
        .put("code", ProblemCode.NOT_INTERRUPTED.name())
        .put("path", "$")
        .put("message", message);
    body.put("job_id", jobId);
    ctx.status(409).json(body);
  }

  /** The caller the before-handler authenticated (open mode: anyone). */
  static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    return caller == null ? Caller.anyone() : caller;
  }

  private static void notFound(Context ctx, String threadId) {
    error(ctx, 404, "not_found", "no job with thread_id '" + threadId + "'");
  }

  private void state(Context ctx) {
    String threadId = ctx.pathParam("thread_id");
    admin.state(threadId, caller(ctx)).ifPresentOrElse(ctx::json, () -> notFound(ctx, threadId));
  }

  private void history(Context ctx) {
    String threadId = ctx.pathParam("thread_id");
    int limit = intParameter(ctx, "limit", DEFAULT_HISTORY_PAGE, 1, MAX_HISTORY_PAGE);
    String before = ctx.queryParam("before");
    if (before != null && !Ids.isValidClientId(before)) {
      throw InvalidJobException.badRequest(
          ProblemCode.QUERY_PARAMETER, "before", "must be a checkpoint id of the thread");
    }
    admin
        .history(threadId, before, limit, caller(ctx))
        .ifPresentOrElse(ctx::json, () -> notFound(ctx, threadId));
  }

  /** A whole number from the query, {@code fallback} when absent; 400 outside min..max. */
  private static int intParameter(Context ctx, String name, int fallback, int min, int max) {
    String text = ctx.queryParam(name);
    if (text == null) return fallback;
    if (text.matches("\\d{1,9}")) {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) return value;
    }
    throw InvalidJobException.badRequest(
        ProblemCode.QUERY_PARAMETER, name, "must be a whole number from " + min + " to " + max);
  }

  private void cleanup(Context ctx) {
    String threadId = ctx.pathParam("thread_id");
    switch (admin.cleanup(threadId, caller(ctx))) {
      case REMOVED -> ctx.status(204);
      case NOT_FOUND -> notFound(ctx, threadId);
      case RUNNING ->
          error(ctx, 409, "running", "job " + threadId + " is running: cancel it first");
      case PARKED ->
          error(
              ctx,
              409,
              "interrupted",
              "job " + threadId + " waits for decisions: resume or cancel it first");
    }
  }

  private void cancel(Context ctx) {
    String threadId = ctx.pathParam("thread_id");
    answerCancel(ctx, threadId, admin.cancel(threadId, caller(ctx)));
  }

  /** 202 cancelling, 409 not running, 404 unknown (or another tenant's). */
  private static void answerCancel(Context ctx, String threadId, ThreadAdmin.Cancel cancel) {
    switch (cancel.kind()) {
      case CANCELLING ->
          ctx.status(202)
              .json(Json.object().put("thread_id", threadId).put("status", "cancelling"));
      case NOT_RUNNING ->
          error(
              ctx,
              409,
              "not_running",
              "job " + threadId + " is not running (status " + cancel.status() + ")");
      case NOT_FOUND -> notFound(ctx, threadId);
    }
  }

  // ---- event streams (WebSocket and Server-Sent Events) ----

  /** What a stream request gets: 404, nothing more to send (SSE 204), or a follower. */
  private enum StreamPlan {
    NOT_FOUND,
    ENDED,
    FOLLOW
  }

  /** The plan for a stream request, and the thread whose events it follows. */
  private record Stream(StreamPlan plan, String threadId) {}

  /**
   * A thread is streamable when the caller may see its job (running here, a result or a checkpoint;
   * without API tokens, events in its log are enough); a job's id streams the thread it runs on. It
   * has ended for this client when the client's Last-Event-ID is the log's final {@code end}, or
   * the job finished and its log expired: following either would hold a connection for events that
   * never come.
   */
  private Stream streamPlan(String id, Caller caller, String afterId) {
    ThreadAdmin.ThreadView view = admin.view(id);
    String threadId = view.threadId();
    Optional<StreamedEvent> last = events.last(threadId);
    boolean visible =
        view.owner().map(caller::sees).orElse(!caller.restricted() && last.isPresent());
    if (!visible) return new Stream(StreamPlan.NOT_FOUND, threadId);
    boolean seenEnd = last.filter(e -> e.event().isEnd() && e.id().equals(afterId)).isPresent();
    return new Stream(
        seenEnd || (view.finished() && last.isEmpty()) ? StreamPlan.ENDED : StreamPlan.FOLLOW,
        threadId);
  }

  /** 429 when MAX_STREAM_FOLLOWERS clients already follow events on this instance. */
  private ApiProblem tooManyFollowers() {
    return new ApiProblem(
        429,
        "too_many_streams",
        "this instance already streams to its limit of "
            + maxFollowers
            + " clients (MAX_STREAM_FOLLOWERS); retry later",
        Map.of("Retry-After", "5"));
  }

  /**
   * Served whatever the Accept header says (EventSource sends text/event-stream; curl and proxies
   * often send nothing or *\/*). 404 unknown, 204 already ended (which stops EventSource from
   * reconnecting), 429 over MAX_STREAM_FOLLOWERS.
   */
  private void serverSentEvents(Context ctx) throws IOException {
    String id = ctx.pathParam("thread_id");
    String lastEventId = ctx.header("Last-Event-ID");
    Stream stream = streamPlan(id, caller(ctx), lastEventId);
    switch (stream.plan()) {
      case NOT_FOUND -> notFound(ctx, id);
      case ENDED -> ctx.status(204);
      case FOLLOW -> {
        if (!followerSlots.tryAcquire()) throw tooManyFollowers();
        try {
          ServerSentEvents.relay(ctx.res(), events, stream.threadId(), lastEventId, heartbeat);
        } finally {
          followerSlots.release();
        }
      }
    }
  }

  /**
   * Authenticates, and refuses before the upgrade (with a JSON body) what would only fail after it.
   */
  private void beforeWebSocketUpgrade(Context ctx) {
    Caller caller = authenticator.authenticate(ctx);
    String id = ctx.pathParam("thread_id");
    Stream stream = streamPlan(id, caller, null);
    if (stream.plan() == StreamPlan.NOT_FOUND)
      throw new ApiProblem(404, "not_found", "no job with thread_id '" + id + "'");
    if (followerSlots.availablePermits() == 0) throw tooManyFollowers();
    ctx.attribute(STREAM_ENDED, stream.plan() == StreamPlan.ENDED);
    ctx.attribute(STREAM_THREAD, stream.threadId());
  }

  private void webSocket(WsConfig ws) {
    ws.onConnect(
        ctx ->
            webSockets.open(
                ctx,
                Optional.ofNullable(ctx.<String>attribute(STREAM_THREAD))
                    .orElse(ctx.pathParam("thread_id")),
                Boolean.TRUE.equals(ctx.attribute(STREAM_ENDED))));
    ws.onMessage(
        ctx -> {
          /* inbound frames (pings, client chatter) are tolerated and ignored */
        });
    ws.onClose(ctx -> webSockets.closed(ctx.session));
    ws.onError(ctx -> webSockets.closed(ctx.session));
  }

  /**
   * Stops job intake for a shutdown: from now on POST / and /invoke answer 503 with Retry-After,
   * and /ready answers 503 so that load balancers stop sending work; every other route (state,
   * streams, cancel, health, metrics) keeps serving while running jobs drain.
   */
  public void stopIntake() {
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

  private static void problem(Context ctx, int status, String code, InvalidJobException e) {
    ObjectNode body = Json.object().put("error", code).put("message", e.getMessage());
    body.set("problems", Json.tree(e.problems()));
    if (e.jobId() != null) body.put("job_id", e.jobId());
    ctx.status(status).json(body);
  }

  private static void error(Context ctx, int status, String code, String message) {
    if (ctx.header("Sec-WebSocket-Key")
        != null) { // a refused upgrade: Javalin writes no body for it
      writeDirectly(ctx, status, ErrorBodies.json(code, message));
      return;
    }
    ctx.status(status).json(Json.object().put("error", code).put("message", message));
  }

  private static void writeDirectly(Context ctx, int status, byte[] body) {
    try {
      ctx.res().setStatus(status);
      ctx.res().setContentType("application/json");
      ctx.res().setContentLength(body.length);
      ctx.res().getOutputStream().write(body);
    } catch (IOException e) {
      log.debug("could not answer a refused WebSocket upgrade: {}", e.toString());
    }
  }

  /**
   * Javalin's own answers: no route (404), a route without this method (405, with Allow), and any
   * other HttpResponseException, as the JSON problem body.
   */
  private void noRouteOrHttpError(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    if (status == 405) {
      e.getDetails().values().stream()
          .findFirst()
          .ifPresent(methods -> ctx.header("Allow", methods));
      error(
          ctx, 405, "method_not_allowed", ctx.method().name() + " is not allowed on " + ctx.path());
    } else if (status == 404) {
      error(ctx, 404, "not_found", "no route for " + ctx.method().name() + " " + ctx.path());
    } else {
      error(ctx, status, ErrorBodies.code(status), e.getMessage());
    }
  }

  private void recordRequest(Context ctx, Float millis) {
    // A request no route matched has no endpoint path (Javalin throws when asked for it).
    String route = ctx.handlerType() == HandlerType.BEFORE ? null : ctx.endpointHandlerPath();
    Timer.builder("agent_executor_http_requests")
        .description("HTTP requests served")
        .tag("method", ctx.method().name())
        .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(metrics.registry())
        .record((long) (millis * 1000), TimeUnit.MICROSECONDS);
  }
}
