package dev.agentexecutor.runner;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.publish.ResultPublisher;
import dev.agentexecutor.store.JobStore;
import dev.agentexecutor.store.MemoryThreadTurns;
import dev.agentexecutor.store.ThreadTurns;
import dev.agentexecutor.stream.EventStream;

/** The storage and messaging ports a runner works with; embedded or real, it cannot tell. */
public record Backends(
    Checkpointer checkpointer,
    JobStore jobs,
    EventStream events,
    ResultPublisher results,
    ThreadTurns turns) {

  /** Backends whose thread turns are kept in this process. */
  public Backends(
      Checkpointer checkpointer, JobStore jobs, EventStream events, ResultPublisher results) {
    this(checkpointer, jobs, events, results, new MemoryThreadTurns());
  }
}
