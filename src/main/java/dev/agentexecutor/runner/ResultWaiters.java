package dev.agentexecutor.runner;

import io.cloudevents.CloudEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP calls in this process waiting for a job's result event, completed when this process stores
 * or publishes one (see {@link ResultOutbox#publisher}). A job that ends on another replica is
 * found in the job store instead.
 */
public final class ResultWaiters {
  private final Map<String, Set<CompletableFuture<CloudEvent>>> waiting = new ConcurrentHashMap<>();

  /** A future completed with the job's next result event; give it back with {@link #release}. */
  public CompletableFuture<CloudEvent> await(String jobId) {
    CompletableFuture<CloudEvent> future = new CompletableFuture<>();
    waiting.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(future);
    return future;
  }

  public void release(String jobId, CompletableFuture<CloudEvent> future) {
    waiting.computeIfPresent(
        jobId,
        (id, futures) -> {
          futures.remove(future);
          return futures.isEmpty() ? null : futures;
        });
  }

  /** Hands the job's result event to everyone waiting for it. */
  public void deliver(String jobId, CloudEvent event) {
    if (jobId == null) return;
    Set<CompletableFuture<CloudEvent>> futures = waiting.get(jobId);
    if (futures != null) futures.forEach(future -> future.complete(event));
  }

  /** How many calls wait now (for tests and metrics). */
  public int size() {
    return waiting.values().stream().mapToInt(Set::size).sum();
  }
}
