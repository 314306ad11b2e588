package dev.agentexecutor.stream.redis;

/**
 * Names of a thread's Redis keys: the pub/sub channel existing clients subscribe to and the capped
 * stream that late joiners replay. The prefix lets tests and shared instances coexist.
 */
record RedisKeys(String prefix) {
  String channel(String threadId) {
    return prefix + "langgraph:stream:" + threadId;
  }

  String stream(String threadId) {
    return prefix + "langgraph:events:" + threadId;
  }
}
