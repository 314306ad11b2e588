package dev.agentexecutor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.util.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The in-memory log forgets idle threads after the TTL, as Redis expires their streams. */
class MemoryEventStreamExpiryTest {
  @Test
  void anIdleThreadsLogIsDroppedAfterTheTtlButAFollowedOneIsKept() throws Exception {
    MemoryEventStream stream = new MemoryEventStream(100, Duration.ofMillis(20));
    stream.publish("idle", new AgentEvent("on_llm_stream", Json.object().put("n", 1)));
    EventCollector followed = new EventCollector();
    stream.publish("followed", new AgentEvent("on_llm_stream", Json.object().put("n", 1)));
    try (var follow = stream.follow("followed", null, followed)) {
      Thread.sleep(60);
      stream.publish("other", AgentEvent.end()); // a publish triggers the expiry check

      EventCollector late = new EventCollector();
      try (var lateFollow = stream.follow("idle", null, late)) {
        Thread.sleep(100);
        assertThat(late.events()).isEmpty();
      }
      stream.publish("followed", AgentEvent.end());
      assertThat(followed.awaitEnd(Duration.ofSeconds(2))).hasSize(2);
    }
  }
}
