package dev.agentexecutor.runner;

import dev.agentexecutor.cancel.CancelSignals;
import dev.agentexecutor.cancel.MemoryCancelSignals;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.publish.ResultPublisher;
import dev.agentexecutor.store.JobStore;
import dev.agentexecutor.store.MemoryThreadTurns;
import dev.agentexecutor.store.ThreadTurns;
import dev.agentexecutor.stream.EventStream;

/**
 * The storage and messaging ports a runner works with; embedded or real, it cannot tell. {@code
 * cancels} carries cancel requests to the replica that runs the job; {@code turns} says whose turn
 * it is on a thread (multitask_strategy).
 */
public record Backends(
    Checkpointer checkpointer,
    JobStore jobs,
    EventStream events,
    ResultPublisher results,
    CancelSignals cancels,
    ThreadTurns turns) {

  /** Cancel requests and thread turns stay in this process. */
  public Backends(
      Checkpointer checkpointer, JobStore jobs, EventStream events, ResultPublisher results) {
    this(checkpointer, jobs, events, results, new MemoryCancelSignals(), new MemoryThreadTurns());
  }
}
