package dev.agentexecutor.cancel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancel requests within this process (embedded mode, no PostgreSQL): a request reaches this
 * process's subscribers at once, on the caller's thread, and no other replica.
 */
public final class MemoryCancelSignals implements CancelSignals {
  private static final Logger log = LoggerFactory.getLogger(MemoryCancelSignals.class);

  private final List<Consumer<String>> handlers = new CopyOnWriteArrayList<>();

  @Override
  public void publish(String jobId) {
    deliver(handlers, jobId);
  }

  @Override
  public void subscribe(Consumer<String> handler) {
    handlers.add(handler);
  }

  @Override
  public boolean crossReplica() {
    return false;
  }

  /** Hands a request to every handler; one that throws does not keep it from the others. */
  public static void deliver(List<Consumer<String>> handlers, String jobId) {
    for (Consumer<String> handler : handlers) {
      try {
        handler.accept(jobId);
      } catch (RuntimeException e) {
        log.warn("a cancel request for job {} could not be handled: {}", jobId, e.toString());
      }
    }
  }
}
