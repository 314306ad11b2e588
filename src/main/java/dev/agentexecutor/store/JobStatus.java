package dev.agentexecutor.store;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of a job as /state reports it. */
public enum JobStatus {
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean finished() {
    return this != RUNNING;
  }
}
