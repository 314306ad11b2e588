package dev.agentexecutor.ingress.http;

import java.util.Map;

/** The event-stream answers on the in-memory event log. */
class MemoryServerSentEventsTest extends ServerSentEventsContract {
  @Override
  Map<String, String> backend() {
    return Map.of();
  }
}
