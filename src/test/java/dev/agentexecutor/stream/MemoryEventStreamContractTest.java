package dev.agentexecutor.stream;

/** The in-memory stream keeps the contract that the Redis one is held to. */
class MemoryEventStreamContractTest extends EventStreamContract {
  @Override
  protected EventStream newStream() {
    return new MemoryEventStream(10_000);
  }
}
