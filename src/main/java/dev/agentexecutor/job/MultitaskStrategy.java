package dev.agentexecutor.job;

import java.util.Locale;
import java.util.Optional;

/**
 * What a job does when its thread already has an active (queued, running or interrupted) run; the
 * names are LangGraph's {@code multitask_strategy}.
 */
public enum MultitaskStrategy {
  /** Refused: 409 over HTTP, a failed event over NATS. The default. */
  REJECT,
  /** Recorded as queued and run after the active runs, in order. */
  ENQUEUE,
  /** The active run is cancelled at its next step, then this one runs. */
  INTERRUPT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The strategy of a wire name, if it is one. */
  public static Optional<MultitaskStrategy> of(String name) {
    for (MultitaskStrategy strategy : values()) {
      if (strategy.wireName().equals(name)) return Optional.of(strategy);
    }
    return Optional.empty();
  }
}
