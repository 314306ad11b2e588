package dev.agentexecutor.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the model is told about a tool: its name, what it does and a JSON Schema of its arguments.
 */
public record ToolSpec(String name, String description, ObjectNode parameters) {}
