package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.Usage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tokens of one run's model calls, in total and per node (agent) and per model ({@code
 * provider/model}), for the result event and /state. Thread-safe: subagents may run in parallel.
 */
public final class UsageLedger {
  private Usage total = Usage.ZERO;
  private final Map<String, Usage> byNode = new LinkedHashMap<>();
  private final Map<String, Usage> byModel = new LinkedHashMap<>();

  /** Adds one call's usage; {@code node} or {@code model} may be null when unknown. */
  public synchronized void add(String node, String model, Usage usage) {
    total = total.plus(usage);
    if (node != null) byNode.merge(node, usage, Usage::plus);
    if (model != null) byModel.merge(model, usage, Usage::plus);
  }

  public synchronized Usage total() {
    return total;
  }

  /** A copy, in the order the nodes first used the model. */
  public synchronized Map<String, Usage> byNode() {
    return new LinkedHashMap<>(byNode);
  }

  /** A copy, in the order the models were first used. */
  public synchronized Map<String, Usage> byModel() {
    return new LinkedHashMap<>(byModel);
  }
}
