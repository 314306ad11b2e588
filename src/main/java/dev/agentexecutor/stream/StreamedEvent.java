package dev.agentexecutor.stream;

/** An event with its position in the thread's log ({@code id}, usable as SSE Last-Event-ID). */
public record StreamedEvent(String id, AgentEvent event) {}
