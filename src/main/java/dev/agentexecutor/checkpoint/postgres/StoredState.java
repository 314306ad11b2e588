package dev.agentexecutor.checkpoint.postgres;

import dev.agentexecutor.core.state.AgentState;
import java.util.List;
import java.util.Map;

/**
 * A stored checkpoint's state with the version of each of its channels: what the next put is
 * compared with to find the channels that changed.
 */
record StoredState(String checkpointId, AgentState state, Map<String, String> versions) {
  /** Before the first checkpoint: no channel has a version, so every value is written. */
  static final StoredState NONE =
      new StoredState(null, AgentState.initial(List.of(), Map.of(), Map.of()), Map.of());

  StoredState {
    versions = Map.copyOf(versions);
  }
}
