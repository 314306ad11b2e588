package dev.agentexecutor.store;

import dev.agentexecutor.checkpoint.MemoryCheckpointer;

class MemoryJobStoreTest extends JobStoreContract {
  private final MemoryCheckpointer checkpointer = new MemoryCheckpointer();
  private final Stores stores = new Stores(new MemoryJobStore(checkpointer), checkpointer);

  @Override
  protected Stores stores() {
    return stores;
  }
}
