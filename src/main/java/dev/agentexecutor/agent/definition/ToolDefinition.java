package dev.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A job-defined tool: what the model sees (name, description, JSON Schema) and how it runs. */
public record ToolDefinition(
    String name, String description, ObjectNode parameters, HttpToolRuntime http) {}
