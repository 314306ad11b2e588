package dev.agentexecutor.store;

/**
 * A result event that the result publisher confirmed: job {@code jobId}'s event {@code eventId}
 * (the CloudEvent id). Marking it published takes the job's result out of the outbox, unless the
 * job has stored another result since.
 */
public record PublishedResult(String jobId, String eventId) {}
