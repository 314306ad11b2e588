package dev.agentexecutor.observability;

import org.slf4j.MDC;

/**
 * Puts a job's trace_id and job_id into the logging context of the current thread for a scope, and
 * restores what was there before when the scope closes (a job run inside another job's scope, or on
 * a thread that had its own context, leaves that context as it found it).
 */
public final class LogContext implements AutoCloseable {
  private static final String TRACE_ID = "trace_id";
  private static final String JOB_ID = "job_id";

  private final String previousTraceId;
  private final String previousJobId;

  private LogContext(String previousTraceId, String previousJobId) {
    this.previousTraceId = previousTraceId;
    this.previousJobId = previousJobId;
  }

  /** Sets the ids that are given (null ones are left as they are) until {@link #close()}. */
  public static LogContext of(String traceId, String jobId) {
    LogContext scope = new LogContext(MDC.get(TRACE_ID), MDC.get(JOB_ID));
    if (traceId != null) MDC.put(TRACE_ID, traceId);
    if (jobId != null) MDC.put(JOB_ID, jobId);
    return scope;
  }

  @Override
  public void close() {
    restore(TRACE_ID, previousTraceId);
    restore(JOB_ID, previousJobId);
  }

  private static void restore(String key, String value) {
    if (value == null) MDC.remove(key);
    else MDC.put(key, value);
  }
}
