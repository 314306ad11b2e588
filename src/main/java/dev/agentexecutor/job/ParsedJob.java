package dev.agentexecutor.job;

import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.observability.TraceContext;

/**
 * What reading a request or message gave: a valid job; a request to cancel one; a well-formed job
 * whose input is over this instance's limits (a job that is refused, with a failed result like any
 * job that cannot run); or input that is no job at all. The trace context is there in every case,
 * so that the failed result event of a refused job continues its trace.
 */
public sealed interface ParsedJob {
  TraceContext trace();

  /** The job id when one was readable (and safe to name in a result event), else null. */
  String jobId();

  record Valid(Job job) implements ParsedJob {
    @Override
    public TraceContext trace() {
      return job.trace();
    }

    @Override
    public String jobId() {
      return job.jobId();
    }
  }

  /** Well-formed, but its input breaks the state limits (MAX_FILES, MAX_MESSAGE_CHARS...). */
  record OverLimits(Job job, InvalidJobException problem) implements ParsedJob {
    @Override
    public TraceContext trace() {
      return job.trace();
    }

    @Override
    public String jobId() {
      return job.jobId();
    }
  }

  /**
   * A well-formed request to cancel a job ({@code dev.my-platform.agent.cancel}); {@code tenant} is
   * the event's (NATS) until the HTTP ingress replaces it with its caller's.
   */
  record Cancel(String jobId, String traceId, String tenant, TraceContext trace)
      implements ParsedJob {
    public Cancel {
      tenant = Tenants.orDefault(tenant);
    }

    public Cancel withTenant(String owner) {
      return new Cancel(jobId, traceId, owner, trace);
    }

    Cancel withTrace(TraceContext context) {
      return new Cancel(jobId, traceId, tenant, context);
    }
  }

  record Invalid(InvalidJobException problem, TraceContext trace) implements ParsedJob {
    @Override
    public String jobId() {
      return problem.jobId();
    }
  }
}
