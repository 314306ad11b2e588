package dev.agentexecutor.agent;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;

/** Human approval in the loop on the in-memory checkpointer. */
class InterruptMemoryTest extends InterruptContract {
  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();

  @Override
  protected Checkpointer checkpointer() {
    return checkpoints;
  }
}
