package dev.agentexecutor.observability;

/**
 * One dependency as /ready reports it: its name (postgresql, redis, nats...), what backs it
 * ("memory" for embedded adapters) and a check that answers within about a second.
 */
public interface HealthCheck {
  String name();

  /** "memory" for an embedded adapter, else the backend's kind (postgresql, redis, nats). */
  String backend();

  /** True when the dependency works right now. Must not throw. */
  boolean healthy();

  static HealthCheck embedded(String name) {
    return of(name, "memory", () -> true);
  }

  static HealthCheck of(String name, String backend, java.util.function.BooleanSupplier check) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String backend() {
        return backend;
      }

      @Override
      public boolean healthy() {
        try {
          return check.getAsBoolean();
        } catch (RuntimeException e) {
          return false;
        }
      }
    };
  }
}
