package dev.agentexecutor.store;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Lifecycle of a job as /state reports it (docs/job-lifecycle.md): queued, running, interrupted
 * (parked until people decide on its interrupts) and the three final states.
 */
public enum JobStatus {
  QUEUED,
  RUNNING,
  INTERRUPTED,
  COMPLETED,
  FAILED,
  CANCELLED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status of a wire name ({@code "interrupted"}); IllegalArgumentException when unknown. */
  public static JobStatus fromWire(String wireName) {
    for (JobStatus status : values()) if (status.wireName().equals(wireName)) return status;
    throw new IllegalArgumentException("unknown job status '" + wireName + "'");
  }

  /** Completed, failed or cancelled: nothing will run for the job any more. */
  public boolean finished() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
