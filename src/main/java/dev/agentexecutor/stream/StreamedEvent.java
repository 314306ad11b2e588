package dev.agentexecutor.stream;

/**
 * An event with its position in the thread's log ({@code id}, usable as SSE Last-Event-ID). {@code
 * last} marks the final event a follow delivers: the {@code end} of the thread's newest run (an
 * earlier run's {@code end} is not last when a later run follows it in the log).
 */
public record StreamedEvent(String id, AgentEvent event, boolean last) {
  public StreamedEvent(String id, AgentEvent event) {
    this(id, event, false);
  }

  /** The same event marked as the last of its follow. */
  public StreamedEvent asLast() {
    return new StreamedEvent(id, event, true);
  }
}
