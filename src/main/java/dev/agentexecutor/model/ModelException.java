package dev.agentexecutor.model;

/** A model call that failed for good (after retries): the job fails with this message. */
public class ModelException extends RuntimeException {
  private final int status;

  public ModelException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** HTTP status of the last attempt, or 0 when there was none (connection error, script error). */
  public int status() {
    return status;
  }
}
