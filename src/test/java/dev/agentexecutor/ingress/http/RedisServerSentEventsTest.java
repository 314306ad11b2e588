package dev.agentexecutor.ingress.http;

import dev.agentexecutor.testkit.RedisTestKit;
import java.util.Map;

/** The event-stream answers on real Redis (the shared test server, a key prefix of its own). */
class RedisServerSentEventsTest extends ServerSentEventsContract {
  @Override
  Map<String, String> backend() {
    return Map.of(
        "REDIS_URL", RedisTestKit.SHARED_URI, "STREAM_KEY_PREFIX", RedisTestKit.uniquePrefix());
  }
}
