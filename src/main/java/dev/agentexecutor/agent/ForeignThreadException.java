package dev.agentexecutor.agent;

/**
 * The thread's checkpoints belong to another tenant than the run's: resuming them would hand one
 * tenant's state to another, so the run stops before its first step and nothing is published.
 */
public final class ForeignThreadException extends RuntimeException {
  public ForeignThreadException(String threadId) {
    super("thread " + threadId + " belongs to another tenant");
  }
}
