package dev.agentexecutor.model;

import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Usage;

/** The model's answer: an assistant message (text and/or tool calls) and the tokens it cost. */
public record ModelResponse(Message message, Usage usage) {}
