package dev.agentexecutor.runner;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.agent.run.Interrupt;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.job.ResumeRequest;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parked side of the lifecycle (docs/job-lifecycle.md): checks a resume against the job's
 * record, takes the one continuation with the store's atomic interrupted→running transition, and
 * fails parked jobs that waited longer than INTERRUPT_TTL_SECONDS through the same kind of
 * transition, so that of a resume, an expiry and a cancel racing on any replicas exactly one wins.
 */
final class ParkedJobs {
  private static final Logger log = LoggerFactory.getLogger(ParkedJobs.class);
  static final String EXPIRED_TYPE = "InterruptExpired";
  private static final TypeReference<List<Interrupt>> INTERRUPTS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Decision>> DECISIONS = new TypeReference<>() {};

  private final Backends backends;
  private final JobParser parser;
  private final Metrics metrics;
  private final Clock clock;
  private final Duration ttl;

  ParkedJobs(Backends backends, JobParser parser, Metrics metrics, Clock clock, Duration ttl) {
    this.backends = backends;
    this.parser = parser;
    this.metrics = metrics;
    this.clock = clock;
    this.ttl = ttl;
  }

  Duration ttl() {
    return ttl;
  }

  /**
   * A resume that may go on: the job as sent (re-read from its record) and the decisions by
   * interrupt id. {@code taken} when the record is already running with these decisions (a resume
   * redelivered after a crash), so no transition is needed.
   */
  record Ready(JobRecord record, Job job, Map<String, Decision> decisions, boolean taken) {}

  /** Either a ready resume or the answer that refuses it. */
  record Check(Optional<Ready> ready, Resumption refusal) {
    static Check refused(Resumption refusal) {
      return new Check(Optional.empty(), refusal);
    }
  }

  /**
   * Checks {@code request} against the job's record for {@code caller}: a parked job of the
   * caller's whose decisions fit. A job that waited past its TTL is expired here and then. With
   * {@code redelivered} (NATS redelivered the resume), a record already running with stored
   * decisions and not running here ({@code runningHere}) is continued: its resume crashed.
   */
  Check check(
      ResumeRequest request, Caller caller, boolean redelivered, Predicate<String> runningHere) {
    String jobId = request.jobId();
    Optional<JobRecord> found = backends.jobs().find(jobId);
    if (found.isEmpty() || !caller.sees(found.get().tenant()))
      return Check.refused(new Resumption.NotFound(jobId));
    JobRecord record = found.get();
    if (record.status() == JobStatus.RUNNING
        && redelivered
        && record.decisions() != null
        && !runningHere.test(jobId)) {
      return ready(request, record, decisionsOf(record.decisions()), true);
    }
    if (record.status() != JobStatus.INTERRUPTED)
      return Check.refused(new Resumption.NotInterrupted(jobId, record.status().wireName()));
    if (expired(record, clock.instant())) {
      expire(record);
      return Check.refused(new Resumption.NotInterrupted(jobId, JobStatus.FAILED.wireName()));
    }
    List<Interrupt> interrupts = interruptsOf(record.interrupts());
    List<Problem> problems = DecisionCheck.problems(interrupts, request.decisions());
    if (!problems.isEmpty())
      return Check.refused(new Resumption.Invalid(jobId, new InvalidJobException(problems, jobId)));
    return ready(
        request, record, DecisionCheck.byInterruptId(interrupts, request.decisions()), false);
  }

  private Check ready(
      ResumeRequest request, JobRecord record, Map<String, Decision> decisions, boolean taken) {
    if (record.job() == null) {
      return Check.refused(
          new Resumption.Invalid(
              record.jobId(),
              InvalidJobException.of(
                  ProblemCode.EVT_INVALID,
                  "$",
                  "the parked job's record holds no job to resume",
                  record.jobId())));
    }
    try {
      Job job = parser.job(record.job()).withTenant(record.tenant()).withTrace(request.trace());
      return new Check(Optional.of(new Ready(record, job, decisions, taken)), null);
    } catch (InvalidJobException e) {
      return Check.refused(new Resumption.Invalid(record.jobId(), e.withJobId(record.jobId())));
    }
  }

  /**
   * Takes the continuation: interrupted → running with the decisions stored, atomically. False when
   * another resume, an expiry or a cancel got there first.
   */
  boolean take(Ready ready) {
    if (ready.taken()) return true;
    Instant now = clock.instant();
    JobRecord record = ready.record();
    boolean won =
        backends
            .jobs()
            .transition(
                record.jobId(),
                JobStatus.INTERRUPTED,
                record.resumed(decisionsJson(ready.decisions()), now));
    if (won && record.parkedAt() != null) {
      metrics.jobResumed(
          Duration.between(record.parkedAt(), now),
          ready.decisions().values().stream().map(Decision::type).toList());
    }
    return won;
  }

  /** The job's status now, for the answer to a resume that lost its race. */
  String statusNow(String jobId) {
    return backends.jobs().find(jobId).map(r -> r.status().wireName()).orElse("unknown");
  }

  private boolean expired(JobRecord record, Instant now) {
    return record.parkedAt() != null && record.parkedAt().plus(ttl).isBefore(now);
  }

  /**
   * Fails a parked job that waited too long: interrupted → failed (type InterruptExpired),
   * atomically, and publishes its failed event only when this call made the move.
   */
  boolean expire(JobRecord parked) {
    String message =
        "the job waited for decisions on its interrupts longer than INTERRUPT_TTL_SECONDS ("
            + ttl.toSeconds()
            + " s)";
    CloudEvent event = ResultEvents.failed(parked.jobId(), message, EXPIRED_TYPE, "", null);
    Instant now = clock.instant();
    JobRecord failed =
        parked.finish(JobStatus.FAILED, ResultEvents.toJsonNode(event), message, now);
    if (!backends.jobs().transition(parked.jobId(), JobStatus.INTERRUPTED, failed)) return false;
    log.info("parked job {} expired after {}", parked.jobId(), ttl);
    metrics.jobFinished(JobStatus.FAILED.wireName(), Duration.between(parked.createdAt(), now));
    backends.results().publish(parked.jobId(), event);
    streamEnded(backends, parked, message, EXPIRED_TYPE);
    return true;
  }

  /**
   * Tells the followers of a parked job's thread that it ended without running again (expired or
   * cancelled): {@code error} and {@code end}, both with its job id, as a run that stops does. Best
   * effort: the result event and the record already say so.
   */
  static void streamEnded(Backends backends, JobRecord parked, String message, String type) {
    String thread = parked.threadId() == null ? parked.jobId() : parked.threadId();
    try {
      backends.events().publish(thread, AgentEvent.error(message, type, parked.jobId()));
      backends.events().publish(thread, AgentEvent.end(parked.jobId()));
    } catch (BackendUnavailableException e) {
      log.debug("the end of parked job {} not streamed: {}", parked.jobId(), e.getMessage());
    }
  }

  /** Expires every parked job past its TTL, a batch at a time; returns how many it expired. */
  int expireDue(int batch) {
    int expired = 0;
    while (true) {
      List<JobRecord> due = backends.jobs().interruptedBefore(clock.instant().minus(ttl), batch);
      int before = expired;
      for (JobRecord parked : due) if (expire(parked)) expired++;
      // A short batch was the last; a batch that moved nothing (all taken by others) stops too.
      if (due.size() < batch || expired == before) return expired;
    }
  }

  static List<Interrupt> interruptsOf(JsonNode interrupts) {
    return interrupts == null ? List.of() : Json.MAPPER.convertValue(interrupts, INTERRUPTS);
  }

  /** Each decision with its type (a map's values would lose it to type erasure). */
  static ObjectNode decisionsJson(Map<String, Decision> decisions) {
    ObjectNode json = Json.object();
    decisions.forEach((id, decision) -> json.set(id, Json.tree(decision)));
    return json;
  }

  static Map<String, Decision> decisionsOf(JsonNode decisions) {
    return decisions == null || decisions.isNull()
        ? Map.of()
        : Json.MAPPER.convertValue(decisions, DECISIONS);
  }
}
