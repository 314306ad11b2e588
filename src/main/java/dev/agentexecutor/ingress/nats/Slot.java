package dev.agentexecutor.ingress.nats;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One job slot taken from the worker's semaphore. Releasing is idempotent, so every path that may
 * end a message's handling can release it without counting who did it first.
 */
final class Slot {
  private final Semaphore slots;
  private final AtomicBoolean released = new AtomicBoolean();

  /** Wraps a permit the caller has already acquired. */
  Slot(Semaphore slots) {
    this.slots = slots;
  }

  void release() {
    if (released.compareAndSet(false, true)) slots.release();
  }
}
