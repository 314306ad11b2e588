package dev.agentexecutor.agent.definition;

import java.util.List;

/**
 * A node's {@code interrupt_on} entry for one tool: each call of the tool waits for a person's
 * decision before it runs, and these are the decisions allowed (deepagents' names).
 *
 * @param description what the person is shown; null for the default text
 */
public record InterruptRule(List<String> allowedDecisions, String description) {
  /** The default description, as deepagents words it. */
  public static final String DEFAULT_DESCRIPTION = "Tool execution requires approval";

  public InterruptRule {
    allowedDecisions = List.copyOf(allowedDecisions);
  }

  /** The description to show for a call. */
  public String descriptionOrDefault() {
    return description == null ? DEFAULT_DESCRIPTION : description;
  }
}
