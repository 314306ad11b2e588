package dev.agentexecutor.model;

/**
 * A chat model with tool calling: the port the agent loop calls. Implementations stream text tokens
 * to the listener and return the complete answer; transient failures are retried inside (the
 * providers' retry policy, in {@code model.provider}), so an exception here is final for the job.
 */
public interface ModelClient {
  ModelResponse chat(ModelRequest request, TokenListener tokens) throws ModelException;
}
