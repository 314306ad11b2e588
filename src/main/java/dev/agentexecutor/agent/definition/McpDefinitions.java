package dev.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a tool definition's {@code runtime.mcp}: {url, transport: streamable_http | sse,
 * headers_from_env?: {header: ENV_VAR}, tools?: [names]}. Header values are names of environment
 * variables; which of them the service lets a job use is checked when the job starts
 * (MCP_HEADER_ENV_ALLOWED).
 */
final class McpDefinitions {
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern TOOL_NAME = Pattern.compile("[^\\s.]{1,128}");

  /** Headers the HTTP client sets itself. */
  private static final List<String> RESTRICTED_HEADERS =
      List.of("connection", "content-length", "expect", "host", "upgrade", "mcp-session-id");

  private McpDefinitions() {}

  /** The server, or null when it has problems (each added). */
  static McpServerRuntime read(JsonNode tool, String path, List<Problem> problems) {
    int before = problems.size();
    JsonNode runtime = tool.get("runtime");
    JsonNode mcp = runtime.get("mcp");
    String at = path + ".runtime.mcp";
    if (runtime.size() > 1 || tool.has("parameters") || tool.has("script")) {
      problems.add(
          new Problem(
              ProblemCode.DEF_MCP_RUNTIME,
              path,
              "an MCP server definition takes its tools' parameters from the server: give only"
                  + " name, description? and runtime.mcp"));
    }
    URI url = url(mcp.get("url"), at + ".url", problems);
    McpServerRuntime.Transport transport =
        transport(mcp.get("transport"), at + ".transport", problems);
    Map<String, String> headers =
        headers(mcp.get("headers_from_env"), at + ".headers_from_env", problems);
    List<String> tools = tools(mcp.get("tools"), at + ".tools", problems);
    if (problems.size() > before) return null;
    return new McpServerRuntime(url, transport, headers, tools);
  }

  private static URI url(JsonNode value, String path, List<Problem> problems) {
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      problems.add(new Problem(ProblemCode.DEF_MCP_URL, path, "is required: the server's URL"));
      return null;
    }
    try {
      URI uri = URI.create(value.asText());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getRawUserInfo() == null
          && uri.getRawFragment() == null) return uri;
    } catch (IllegalArgumentException e) {
      // reported below
    }
    problems.add(
        new Problem(
            ProblemCode.DEF_MCP_URL,
            path,
            "'" + value.asText() + "' must be an absolute http(s) URL without user info"));
    return null;
  }

  private static McpServerRuntime.Transport transport(
      JsonNode value, String path, List<Problem> problems) {
    if (value == null || value.isNull()) return McpServerRuntime.Transport.STREAMABLE_HTTP;
    for (McpServerRuntime.Transport transport : McpServerRuntime.Transport.values()) {
      if (value.isTextual() && transport.wireName().equals(value.asText().toLowerCase(Locale.ROOT)))
        return transport;
    }
    problems.add(
        new Problem(
            ProblemCode.DEF_MCP_TRANSPORT,
            path,
            "must be \"streamable_http\" or \"sse\" (remote servers only: no process is started for"
                + " a job)"));
    return null;
  }

  private static Map<String, String> headers(JsonNode value, String path, List<Problem> problems) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (value == null || value.isNull()) return headers;
    if (!value.isObject()) {
      problems.add(
          new Problem(
              ProblemCode.DEF_MCP_HEADERS,
              path,
              "must be an object of header names to environment variable names"));
      return headers;
    }
    for (var entry : value.properties()) {
      String at = path + "." + entry.getKey();
      String variable = entry.getValue().isTextual() ? entry.getValue().asText() : "";
      if (!HEADER_NAME.matcher(entry.getKey()).matches()
          || RESTRICTED_HEADERS.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
        problems.add(
            new Problem(
                ProblemCode.DEF_MCP_HEADERS,
                at,
                "'" + entry.getKey() + "' is not a header name a job may set"));
      } else if (!ENV_NAME.matcher(variable).matches()) {
        problems.add(
            new Problem(
                ProblemCode.DEF_MCP_HEADERS,
                at,
                "must name an environment variable of the service (letters, digits and '_'); the"
                    + " value itself is never taken from a job"));
      } else {
        headers.put(entry.getKey(), variable);
      }
    }
    return headers;
  }

  private static List<String> tools(JsonNode value, String path, List<Problem> problems) {
    List<String> tools = new ArrayList<>();
    if (value == null || value.isNull()) return tools;
    if (!value.isArray()) {
      problems.add(new Problem(ProblemCode.DEF_MCP_TOOLS, path, "must be an array of tool names"));
      return tools;
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode name = value.get(i);
      if (!name.isTextual() || !TOOL_NAME.matcher(name.asText()).matches()) {
        problems.add(
            new Problem(
                ProblemCode.DEF_MCP_TOOLS,
                path + "[" + i + "]",
                "must be a tool name (1-128 characters, no spaces or '.')"));
      } else {
        tools.add(name.asText());
      }
    }
    return tools;
  }
}
