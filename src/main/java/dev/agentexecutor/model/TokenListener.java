package dev.agentexecutor.model;

/** Receives streamed text tokens of a model call as they arrive. */
@FunctionalInterface
public interface TokenListener {
  TokenListener NONE = token -> {};

  void onToken(String token);
}
