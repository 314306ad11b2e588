package dev.agentexecutor.store;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;

class MemoryJobStoreTest extends JobStoreContract {
  private final MemoryCheckpointer checkpointer = new MemoryCheckpointer();
  private final MemoryJobStore jobStore = new MemoryJobStore(checkpointer);

  @Override
  protected JobStore jobStore() {
    return jobStore;
  }

  @Override
  protected Checkpointer checkpointer() {
    return checkpointer;
  }
}
