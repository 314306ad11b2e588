package dev.agentexecutor.runner;

import dev.agentexecutor.core.state.Usage;
import java.time.Instant;

/** A job running in this process: its id, owner, when it started here and its tokens so far. */
public record RunningJob(String jobId, String tenant, Instant startedAt, Usage usage) {}
