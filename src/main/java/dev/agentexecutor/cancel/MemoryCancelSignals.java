package dev.agentexecutor.cancel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancel requests within this process (embedded mode, no PostgreSQL): a request reaches this
 * process's subscribers at once, on the caller's thread, and no other replica.
 */
public final class MemoryCancelSignals implements CancelSignals {
  private static final Logger log = LoggerFactory.getLogger(MemoryCancelSignals.class);

  private final List<Predicate<Request>> handlers = new CopyOnWriteArrayList<>();

  @Override
  public boolean request(Request request, Duration wait) {
    return deliver(handlers, request);
  }

  @Override
  public void subscribe(Predicate<Request> handler) {
    handlers.add(handler);
  }

  @Override
  public boolean crossReplica() {
    return false;
  }

  /**
   * Hands a request to every handler (one that throws does not keep it from the others); true when
   * one of them stopped the job.
   */
  public static boolean deliver(List<Predicate<Request>> handlers, Request request) {
    boolean stopped = false;
    for (Predicate<Request> handler : handlers) {
      try {
        stopped |= handler.test(request);
      } catch (RuntimeException e) {
        log.warn(
            "a cancel request for job {} could not be handled: {}", request.jobId(), e.toString());
      }
    }
    return stopped;
  }
}
