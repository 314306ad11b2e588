package dev.agentexecutor.observability;

import org.slf4j.MDC;

/**
 * Puts a job's trace_id and job_id into the logging context for the current thread, and removes
 * them.
 */
public final class LogContext implements AutoCloseable {
  private LogContext() {}

  public static LogContext of(String traceId, String jobId) {
    if (traceId != null) MDC.put("trace_id", traceId);
    if (jobId != null) MDC.put("job_id", jobId);
    return new LogContext();
  }

  @Override
  public void close() {
    MDC.remove("trace_id");
    MDC.remove("job_id");
  }
}
