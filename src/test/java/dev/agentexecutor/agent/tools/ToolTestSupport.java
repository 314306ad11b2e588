package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.util.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calls tools directly with JSON arguments, a fixed clock and a state seeded with files. */
final class ToolTestSupport {
  static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
  static final Instant T1 = Instant.parse("2025-01-01T11:30:00Z");

  private ToolTestSupport() {}

  static AgentState withFiles(String... pathsAndTexts) {
    Map<String, FileData> files = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndTexts.length; i += 2)
      files.put(pathsAndTexts[i], FileData.of(pathsAndTexts[i + 1], T0));
    return AgentState.initial(List.of(), files, Map.of());
  }

  static ToolResult call(Tool tool, String argsJson, AgentState state) {
    return call(tool, argsJson, state, T1);
  }

  static ToolResult call(Tool tool, String argsJson, AgentState state, Instant now) {
    return tool.call(
        (ObjectNode) Json.parse(argsJson), state, new ToolCallContext("call_1", "lead", now));
  }
}
