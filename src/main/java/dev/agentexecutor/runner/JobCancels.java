package dev.agentexecutor.runner;

/**
 * Cancels a job on behalf of a caller, wherever it runs (see {@link ThreadAdmin#cancel}): what the
 * ingresses need for POST /cancel and the {@code dev.my-platform.agent.cancel} CloudEvent.
 */
@FunctionalInterface
public interface JobCancels {
  ThreadAdmin.Cancel cancel(String jobId, Caller caller);
}
