package dev.agentexecutor.runner;

import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.CheckpointSummary;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.MultitaskStrategy;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.ThreadTurns;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a job's thread says before the job runs: whether the job may run on it (a thread it joins is
 * its tenant's, a fork's checkpoint exists) and, for a fork, the state it starts from. A job on its
 * own thread costs no read here (the loop reads the thread anyway).
 */
final class ThreadStart {
  private final Backends backends;
  private final RunningJobs running;

  /**
   * How long a queued job keeps its place without asking again (HTTP asks every {@link
   * #QUEUE_POLL}, NATS at each redelivery, NATS_NAK_DELAY_SECONDS apart): after that its replica is
   * taken to be gone and the jobs behind it go on.
   */
  static final Duration QUEUED_STALE = Duration.ofSeconds(60);

  /** How often a queued HTTP job asks for its turn again. */
  static final Duration QUEUE_POLL = Duration.ofMillis(200);

  private final Clock clock;

  ThreadStart(Backends backends, RunningJobs running, Clock clock) {
    this.backends = backends;
    this.running = running;
    this.clock = clock;
  }

  /** The thread's turn for a job that names its thread: granted, busy (reject) or queued. */
  ThreadTurns.Turn takeTurn(Job job, Duration runTimeout) {
    return backends
        .turns()
        .take(
            new ThreadTurns.TurnRequest(
                job.threadId(),
                job.jobId(),
                job.tenant(),
                othersActive(job, runTimeout),
                job.multitask() != MultitaskStrategy.REJECT,
                job.multitask() == MultitaskStrategy.INTERRUPT,
                runTimeout.plus(runTimeout.dividedBy(10)),
                QUEUED_STALE));
  }

  /** The refusal of a job whose thread is busy (multitask_strategy reject). */
  static Refused busy(Job job, List<String> active) {
    return new Refused(
        ProblemCode.THREAD_BUSY,
        "$.thread_id",
        "thread '"
            + job.threadId()
            + "' has an active run"
            + (active.isEmpty() ? "" : " (job " + String.join(", ", active) + ")")
            + "; send the job later, or with multitask_strategy enqueue or interrupt");
  }

  /**
   * A run of the thread that the turns cannot see, because its job named no thread: one running
   * here, or, elsewhere, the job that wrote the thread's newest checkpoint, when that run has not
   * ended (not a final answer, no final record) and is younger than the run timeout. Read only for
   * jobs that name a thread.
   */
  boolean othersActive(Job job, Duration runTimeout) {
    for (String jobId : running.onThread(job.threadId())) {
      if (jobId.equals(job.jobId())) continue;
      if (running.get(jobId).map(run -> !run.takesTurn()).orElse(false)) return true;
    }
    List<CheckpointSummary> newest = backends.checkpointer().history(job.threadId(), null, 1);
    if (newest.isEmpty()) return false;
    CheckpointSummary row = newest.getFirst();
    if (row.jobId().equals(job.jobId())) return false;
    if (row.namespace().isEmpty() && row.next() == Checkpoint.Next.DONE) return false;
    if (row.createdAt() == null || row.createdAt().isBefore(clock.instant().minus(runTimeout)))
      return false;
    if (backends.turns().find(row.jobId()).isPresent()) return false; // the turns know it
    return backends.jobs().find(row.jobId()).map(r -> !r.status().finished()).orElse(true);
  }

  /** The runs of the thread running here, other than the job's. */
  List<RunningJobs.Run> runningHere(Job job) {
    return running.onThread(job.threadId()).stream()
        .filter(id -> !id.equals(job.jobId()))
        .flatMap(id -> running.get(id).stream())
        .toList();
  }

  sealed interface Start {}

  /** The job may not run on its thread, for a reason its caller can fix. */
  record Refused(ProblemCode code, String path, String message) implements Start {}

  /** The job may run; a fork's run starts from {@code forkedState} (null otherwise). */
  record Ready(AgentState forkedState) implements Start {}

  /** Another tenant's thread: said without anything about it (thread ids are global). */
  static Refused unavailable(Job job) {
    return new Refused(
        ProblemCode.THREAD_UNAVAILABLE,
        "$.thread_id",
        "thread '" + job.threadId() + "' cannot be used; choose another thread_id");
  }

  Start prepare(Job job) {
    if (job.joinsThread()) {
      Optional<String> owner = owner(job);
      if (owner.isPresent() && !owner.get().equals(job.tenant())) return unavailable(job);
    }
    return job.fork() == null ? new Ready(null) : fork(job);
  }

  /**
   * A fork starts from the checkpoint it names, which must be an orchestrator checkpoint of a
   * thread of the job's tenant (another tenant's is answered like an unknown one). A fork whose run
   * has begun (its thread has checkpoints) resumes it even when that checkpoint is gone since.
   */
  private Start fork(Job job) {
    Optional<Checkpoint> source =
        backends
            .checkpointer()
            .get(job.fork().threadId(), "", job.fork().checkpointId())
            .filter(checkpoint -> checkpoint.tenant().equals(job.tenant()));
    if (source.isPresent()) return new Ready(source.get().state());
    if (backends.checkpointer().latest(job.threadId(), "").isPresent()) return new Ready(null);
    return new Refused(
        ProblemCode.CHECKPOINT_NOT_FOUND,
        "$.checkpoint_id",
        "thread '"
            + job.fork().threadId()
            + "' has no checkpoint '"
            + job.fork().checkpointId()
            + "' to fork from");
  }

  /**
   * Who owns the thread a job joins: the tenant of another run on it here, else of its newest
   * checkpoint, else of the job that has the thread's id.
   */
  private Optional<String> owner(Job job) {
    for (String jobId : running.onThread(job.threadId())) {
      if (jobId.equals(job.jobId())) continue;
      Optional<String> tenant = running.get(jobId).map(run -> run.control().tenant());
      if (tenant.isPresent()) return tenant;
    }
    Optional<Checkpoint> latest = backends.checkpointer().latest(job.threadId(), "");
    if (latest.isPresent()) return Optional.of(latest.get().tenant());
    return backends.jobs().find(job.threadId()).map(JobRecord::tenant);
  }
}
