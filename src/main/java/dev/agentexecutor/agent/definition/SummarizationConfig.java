package dev.agentexecutor.agent.definition;

/**
 * When a node's conversation is summarised: past {@code triggerTokens} estimated tokens, or past
 * {@code triggerFraction} of the model's context window (one of the two is set), keeping the last
 * {@code keepMessages} messages verbatim (null: the service's SUMMARIZATION_KEEP_MESSAGES).
 */
public record SummarizationConfig(
    Long triggerTokens, Double triggerFraction, Integer keepMessages) {}
