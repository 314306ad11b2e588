package dev.agentexecutor.checkpoint;

class MemoryCheckpointerTest extends CheckpointerContract {
  private final MemoryCheckpointer checkpointer = new MemoryCheckpointer();

  @Override
  protected Checkpointer checkpointer() {
    return checkpointer;
  }
}
