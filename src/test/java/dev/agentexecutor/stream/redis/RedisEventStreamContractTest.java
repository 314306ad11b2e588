package dev.agentexecutor.stream.redis;

import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.stream.EventStreamContract;
import dev.agentexecutor.testkit.RedisTestKit;
import org.junit.jupiter.api.Tag;

/** The EventStream contract on the shared Redis, each test under its own key prefix. */
@Tag("integration")
class RedisEventStreamContractTest extends EventStreamContract {
  @Override
  protected EventStream newStream() {
    return new RedisEventStream(RedisTestKit.sharedSettings());
  }
}
