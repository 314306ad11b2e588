package dev.agentexecutor.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which environment variables a job may name as MCP request headers (MCP_HEADER_ENV_ALLOWED: names,
 * or prefixes ending in *), with their values read once here. The service's own settings
 * (DATABASE_URL, API keys, every variable of env-vars.json) are never among them, whatever the list
 * says, so that no job can send them to a server of its choice.
 */
final class McpHeaderVariables {
  private McpHeaderVariables() {}

  static Map<String, String> values(
      Map<String, String> env, List<String> allowed, Set<String> serviceVariables) {
    Map<String, String> values = new TreeMap<>();
    env.forEach(
        (name, value) -> {
          if (value != null
              && !value.isEmpty()
              && !serviceVariables.contains(name)
              && allows(allowed, name)) values.put(name, value);
        });
    return values;
  }

  /** Whether an entry of the list names the variable, exactly or as a prefix ending in *. */
  static boolean allows(List<String> allowed, String name) {
    for (String entry : allowed) {
      if (entry.endsWith("*")
          ? name.startsWith(entry.substring(0, entry.length() - 1))
          : entry.equals(name)) return true;
    }
    return false;
  }
}
