package dev.agentexecutor.agent.run;

/** The run stopped before its final answer: cancelled, abandoned, or a limit was reached. */
public class RunStoppedException extends RuntimeException {
  /** Why the run stopped; {@link #errorType()} is what the failed result event reports. */
  public enum Kind {
    CANCELLED("Cancelled"),
    TIMEOUT("RunTimeout"),
    MAX_STEPS("MaxStepsExceeded"),
    TOKEN_BUDGET("TokenBudgetExceeded"),
    MESSAGE_TOO_LARGE("MessageTooLarge"),
    /** A node's final answer still broke its response_format after the allowed retries. */
    STRUCTURED_OUTPUT_INVALID("StructuredOutputInvalid"),
    /** The service stopped the run (shutdown); it is retried, never reported as failed. */
    ABANDONED("Abandoned");

    private final String errorType;

    Kind(String errorType) {
      this.errorType = errorType;
    }
  }

  private final Kind kind;

  public RunStoppedException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public String errorType() {
    return kind.errorType;
  }
}
