package dev.agentexecutor.core.problem;

/**
 * A backend (PostgreSQL, Redis, NATS) could not be reached or failed for a reason that is not the
 * job's fault. The job is retried later (NATS: nak with delay; HTTP: 503), never failed for it.
 */
public class BackendUnavailableException extends RuntimeException {
  private final String backend;

  public BackendUnavailableException(String backend, String message, Throwable cause) {
    super(backend + " unavailable: " + message, cause);
    this.backend = backend;
  }

  public String backend() {
    return backend;
  }
}
