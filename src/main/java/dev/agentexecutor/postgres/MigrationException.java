package dev.agentexecutor.postgres;

/** A migration's SQL failed; its transaction was rolled back and later migrations did not run. */
public class MigrationException extends RuntimeException {
  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
