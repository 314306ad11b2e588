package dev.agentexecutor.stream;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The live and replayable event log of each thread. Publishing appends to the thread's log and
 * broadcasts to live listeners (Redis: XADD to the thread's stream and PUBLISH to {@code
 * langgraph:stream:{thread_id}}). Followers get every event after a position, in order, exactly
 * once, whether it was published before or after they started following.
 */
public interface EventStream extends AutoCloseable {
  /** Appends the event to the thread's log and publishes it; returns its log id. */
  String publish(String threadId, AgentEvent event);

  /**
   * Like {@link #publish} but may return before the backend confirmed it (Redis: pipelined); order
   * per thread is kept. {@link #flush} waits for every such event of the thread and throws if any
   * failed. The runner streams with this and flushes before it stores the result.
   */
  default void publishAsync(String threadId, AgentEvent event) {
    publish(threadId, event);
  }

  /** Waits until every event of the thread sent with {@link #publishAsync} is stored. */
  default void flush(String threadId) {}

  /**
   * Delivers every event of the thread after {@code afterId} (null: from the first), then live
   * ones, until an {@code end} event that was the newest in the log when read has been delivered (a
   * thread's runs each end with {@code end}: a follow goes on through an earlier run's end to the
   * later runs already in the log), or the subscription is closed. The listener is called from one
   * thread at a time.
   */
  Subscription follow(String threadId, String afterId, Consumer<StreamedEvent> listener);

  /**
   * The newest event still in the thread's log; empty when the log is empty, expired or was never
   * written. Lets a stream endpoint tell "already ended" and "unknown" from "follow".
   */
  Optional<StreamedEvent> last(String threadId);

  /** Drops the thread's log. */
  void delete(String threadId);

  @Override
  default void close() {}

  /** A running follow; closing it stops delivery. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
