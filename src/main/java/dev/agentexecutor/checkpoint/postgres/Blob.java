package dev.agentexecutor.checkpoint.postgres;

/** One row of {@code checkpoint_blobs}: a channel's value (or change) at one version. */
record Blob(String channel, String version, String type, byte[] bytes) {}
