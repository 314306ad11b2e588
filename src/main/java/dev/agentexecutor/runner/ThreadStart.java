package dev.agentexecutor.runner;

import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.store.JobRecord;
import java.util.Optional;

/**
 * What a job's thread says before the job runs: whether the job may run on it (a thread it joins is
 * its tenant's, a fork's checkpoint exists) and, for a fork, the state it starts from. A job on its
 * own thread costs no read here (the loop reads the thread anyway).
 */
final class ThreadStart {
  private final Backends backends;
  private final RunningJobs running;

  ThreadStart(Backends backends, RunningJobs running) {
    this.backends = backends;
    this.running = running;
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
