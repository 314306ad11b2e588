package dev.agentexecutor.agent;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;

/** Parallel tool calls and subagents on the in-memory checkpointer. */
class ParallelToolCallsMemoryTest extends ParallelToolCallsContract {
  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();

  @Override
  protected Checkpointer checkpointer() {
    return checkpoints;
  }
}
