package dev.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.model.ScriptValidator;
import dev.agentexecutor.util.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an {@code agent_definition} object into an {@link AgentDefinition}, collecting every
 * problem (code, JSON path, reason) instead of stopping at the first. An empty definition is valid:
 * it means one general-purpose orchestrator whose instructions come from the input.
 */
public final class DefinitionParser {
  /** Tools every agent has; job-defined tools may not reuse these names. */
  public static final Set<String> BUILT_IN_TOOLS =
      Set.of("write_todos", "ls", "read_file", "write_file", "edit_file", "glob", "grep", "task");

  public static final String GENERAL_PURPOSE = "general-purpose";
  public static final Set<String> NODE_TYPES =
      Set.of("orchestrator", "specialist", "subagent", "agent");
  private static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "scripted");
  private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final String DEFAULT_PROMPT =
      "You are a helpful general-purpose assistant. Follow the user's instructions carefully.";

  /** Headers the JDK HTTP client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private static final java.util.regex.Pattern HEADER_NAME =
      java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final List<Problem> problems = new ArrayList<>();

  /**
   * Every node id given, also of nodes with problems, so that edges to them are not reported too.
   */
  private final Set<String> nodeIds = new HashSet<>();

  /** The JSON path of each node read, for problems found once the orchestrator is known. */
  private final Map<NodeDefinition, String> nodePaths = new java.util.IdentityHashMap<>();

  private DefinitionParser() {}

  /** The parsed definition, or {@link DefinitionException} listing every problem. */
  public static AgentDefinition parse(JsonNode definition) {
    List<Problem> problems = new ArrayList<>();
    AgentDefinition parsed = read(definition, "$.agent_definition", problems);
    if (!problems.isEmpty()) throw new DefinitionException(problems);
    return parsed;
  }

  /**
   * Reads the definition at the given JSON path in one pass: adds every problem to {@code problems}
   * and returns the definition, which is only meaningful when none was added.
   */
  public static AgentDefinition read(JsonNode definition, String path, List<Problem> problems) {
    DefinitionParser parser = new DefinitionParser();
    AgentDefinition parsed = parser.definition(definition, path);
    problems.addAll(parser.problems);
    return parsed;
  }

  /** Every problem of the definition at the given JSON path (empty when valid). */
  public static List<Problem> problems(JsonNode definition, String path) {
    List<Problem> problems = new ArrayList<>();
    read(definition, path, problems);
    return List.copyOf(problems);
  }

  private AgentDefinition definition(JsonNode root, String path) {
    if (root == null || !root.isObject()) {
      problem(ProblemCode.DEF_NOT_OBJECT, path, "must be a JSON object");
      return null;
    }
    String name = optionalText(root, "name", path);
    String version = version(root.get("version"), path + ".version");
    Map<String, ToolDefinition> tools =
        toolDefinitions(root.get("tool_definitions"), path + ".tool_definitions");
    List<NodeDefinition> nodes = nodes(root.get("nodes"), path + ".nodes", tools);
    edges(root.get("edges"), path + ".edges");
    if (nodes.isEmpty()) {
      return new AgentDefinition(name, version, defaultOrchestrator(), Map.of(), tools);
    }
    NodeDefinition orchestrator = chooseOrchestrator(nodes, path + ".nodes");
    for (NodeDefinition node : nodes) interruptTools(node, node == orchestrator);
    Map<String, NodeDefinition> subagents = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeDefinition node = nodes.get(i);
      if (node == orchestrator) continue;
      String at = path + ".nodes[" + i + "].config.name";
      if (GENERAL_PURPOSE.equals(node.name())) {
        problem(
            ProblemCode.DEF_SUBAGENT_RESERVED,
            at,
            "'general-purpose' is the built-in subagent's name");
      } else if (subagents.putIfAbsent(node.name(), node) != null) {
        problem(
            ProblemCode.DEF_SUBAGENT_DUPLICATE,
            at,
            "duplicate subagent name '" + node.name() + "'");
      }
    }
    return new AgentDefinition(name, version, orchestrator, subagents, tools);
  }

  private String version(JsonNode value, String path) {
    if (value == null || value.isNull()) return null;
    if (value.isTextual() || value.isNumber()) return value.asText();
    problem(ProblemCode.DEF_FIELD_TYPE, path, "must be a string or a number, not " + kind(value));
    return null;
  }

  static NodeDefinition defaultOrchestrator() {
    return new NodeDefinition(
        "agent",
        "orchestrator",
        "agent",
        null,
        DEFAULT_PROMPT,
        new ModelConfig(null, null, null, null, null),
        List.of());
  }

  private NodeDefinition chooseOrchestrator(List<NodeDefinition> nodes, String path) {
    NodeDefinition chosen = null;
    for (int i = 0; i < nodes.size(); i++) {
      if (!nodes.get(i).isOrchestrator()) continue;
      if (chosen != null) {
        problem(
            ProblemCode.DEF_ORCHESTRATOR_DUPLICATE,
            path + "[" + i + "].type",
            "only one node may be the orchestrator (found another: '" + chosen.id() + "')");
      } else {
        chosen = nodes.get(i);
      }
    }
    return chosen != null ? chosen : nodes.get(0);
  }

  private Map<String, ToolDefinition> toolDefinitions(JsonNode array, String path) {
    Map<String, ToolDefinition> tools = new LinkedHashMap<>();
    if (array == null || array.isNull()) return tools;
    if (!array.isArray()) {
      problem(ProblemCode.DEF_NOT_ARRAY, path, "must be an array of tool definitions");
      return tools;
    }
    for (int i = 0; i < array.size(); i++) {
      ToolDefinition tool = toolDefinition(array.get(i), path + "[" + i + "]");
      if (tool == null) continue;
      if (BUILT_IN_TOOLS.contains(tool.name())) {
        problem(
            ProblemCode.DEF_TOOL_RESERVED,
            path + "[" + i + "].name",
            "'" + tool.name() + "' is a built-in tool's name");
      } else if (tools.putIfAbsent(tool.name(), tool) != null) {
        problem(
            ProblemCode.DEF_TOOL_DUPLICATE,
            path + "[" + i + "].name",
            "duplicate tool name '" + tool.name() + "'");
      }
    }
    return tools;
  }

  private ToolDefinition toolDefinition(JsonNode tool, String path) {
    if (!tool.isObject()) {
      problem(ProblemCode.DEF_NOT_OBJECT, path, "must be a JSON object");
      return null;
    }
    String name = requiredText(tool, "name", path);
    if (name != null && !name.matches("[A-Za-z0-9_-]{1,64}")) {
      problem(
          ProblemCode.DEF_TOOL_NAME,
          path + ".name",
          "'" + name + "' must be 1-64 letters, digits, '_' or '-' (what model APIs accept)");
    }
    String description = optionalText(tool, "description", path);
    if (tool.path("runtime").path("mcp").isObject()) {
      McpServerRuntime mcp = McpDefinitions.read(tool, path, problems);
      return name == null || mcp == null
          ? null
          : new ToolDefinition(name, description == null ? "" : description, null, null, mcp);
    }
    ObjectNode parameters = parameters(tool.get("parameters"), path + ".parameters");
    HttpToolRuntime http = runtime(tool, path, name);
    if (name == null || http == null) return null;
    return new ToolDefinition(name, description == null ? "" : description, parameters, http);
  }

  private ObjectNode parameters(JsonNode schema, String path) {
    if (schema == null || schema.isNull()) {
      ObjectNode empty = Json.object().put("type", "object");
      empty.putObject("properties");
      return empty;
    }
    if (!schema.isObject()) {
      problem(ProblemCode.DEF_TOOL_PARAMETERS, path, "must be a JSON Schema object");
      return null;
    }
    JsonNode type = schema.get("type");
    if (type != null && !"object".equals(type.asText())) {
      problem(
          ProblemCode.DEF_TOOL_PARAMETERS,
          path + ".type",
          "must be \"object\" (tool arguments are a JSON object)");
    }
    return (ObjectNode) schema;
  }

  private HttpToolRuntime runtime(JsonNode tool, String path, String name) {
    JsonNode runtime = tool.get("runtime");
    String label = name == null ? "this tool" : "tool '" + name + "'";
    if (tool.has("script") || (runtime != null && runtime.has("script"))) {
      problem(
          ProblemCode.DEF_TOOL_SCRIPT,
          runtime != null && runtime.has("script") ? path + ".runtime.script" : path + ".script",
          label
              + " is a Python script tool: this runtime never executes code from a job; "
              + "expose it as an HTTP tool (runtime.http) instead");
      return null;
    }
    if (runtime == null || !runtime.isObject() || !runtime.path("http").isObject()) {
      problem(
          ProblemCode.DEF_TOOL_RUNTIME,
          path + ".runtime.http",
          label + " needs runtime.http {url, method?, headers?} or runtime.mcp {url, transport}");
      return null;
    }
    JsonNode http = runtime.get("http");
    String at = path + ".runtime.http";
    String url = requiredText(http, "url", at);
    URI uri = null;
    if (url != null) {
      try {
        uri = URI.create(url);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          problem(
              ProblemCode.DEF_TOOL_URL,
              at + ".url",
              "'" + url + "' must be an absolute http(s) URL");
        }
      } catch (IllegalArgumentException e) {
        problem(ProblemCode.DEF_TOOL_URL, at + ".url", "'" + url + "' is not a valid URL");
      }
    }
    String method = optionalText(http, "method", at);
    method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
    if (!HTTP_METHODS.contains(method)) {
      problem(
          ProblemCode.DEF_TOOL_METHOD,
          at + ".method",
          "must be one of " + String.join(", ", sorted(HTTP_METHODS)));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode headerNode = http.get("headers");
    if (headerNode != null && !headerNode.isNull()) {
      if (!headerNode.isObject()) {
        problem(
            ProblemCode.DEF_TOOL_HEADERS,
            at + ".headers",
            "must be an object of header names to string values");
      } else {
        headerNode
            .fields()
            .forEachRemaining(
                e -> {
                  String header = at + ".headers." + e.getKey();
                  if (!HEADER_NAME.matcher(e.getKey()).matches()) {
                    problem(
                        ProblemCode.DEF_TOOL_HEADERS,
                        header,
                        "'" + e.getKey() + "' is not a valid header name");
                  } else if (RESTRICTED_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                    problem(
                        ProblemCode.DEF_TOOL_HEADERS,
                        header,
                        "is set by the HTTP client and cannot be configured");
                  } else if (!e.getValue().isTextual()) {
                    problem(ProblemCode.DEF_TOOL_HEADERS, header, "must be a string");
                  } else if (e.getValue().asText().contains("\r")
                      || e.getValue().asText().contains("\n")) {
                    problem(ProblemCode.DEF_TOOL_HEADERS, header, "must not contain line breaks");
                  } else {
                    headers.put(e.getKey(), e.getValue().asText());
                  }
                });
      }
    }
    return uri == null ? null : new HttpToolRuntime(uri, method, headers);
  }

  private List<NodeDefinition> nodes(
      JsonNode array, String path, Map<String, ToolDefinition> customTools) {
    List<NodeDefinition> nodes = new ArrayList<>();
    if (array == null || array.isNull()) return nodes;
    if (!array.isArray()) {
      problem(ProblemCode.DEF_NOT_ARRAY, path, "must be an array of nodes");
      return nodes;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String at = path + "[" + i + "]";
      NodeDefinition node = node(array.get(i), at, customTools);
      if (node == null) continue;
      if (!ids.add(node.id()))
        problem(
            ProblemCode.DEF_NODE_DUPLICATE, at + ".id", "duplicate node id '" + node.id() + "'");
      nodes.add(node);
    }
    return nodes;
  }

  private NodeDefinition node(JsonNode node, String path, Map<String, ToolDefinition> customTools) {
    if (!node.isObject()) {
      problem(ProblemCode.DEF_NOT_OBJECT, path, "must be a JSON object");
      return null;
    }
    String id = requiredText(node, "id", path);
    if (id != null) nodeIds.add(id);
    String type = requiredText(node, "type", path);
    if (type != null && !NODE_TYPES.contains(type.toLowerCase(Locale.ROOT))) {
      problem(
          ProblemCode.DEF_NODE_TYPE,
          path + ".type",
          "unknown node type '"
              + type
              + "' (expected one of "
              + String.join(", ", sorted(NODE_TYPES))
              + ")");
    }
    JsonNode config = node.get("config");
    if (config == null || !config.isObject()) {
      problem(ProblemCode.DEF_NODE_CONFIG, path + ".config", "is required and must be an object");
      return null;
    }
    String at = path + ".config";
    String name = requiredText(config, "name", at);
    if (name != null && !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      problem(
          ProblemCode.DEF_NODE_NAME,
          at + ".name",
          "'" + name + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
    String prompt = requiredText(config, "system_prompt", at);
    String description = optionalText(config, "description", at);
    if ((description == null || description.isBlank()) && prompt != null) {
      description = prompt.length() <= 200 ? prompt : prompt.substring(0, 200);
    }
    ModelConfig model = model(config.get("model"), at + ".model");
    List<String> tools = toolNames(config.get("tools"), at + ".tools", customTools);
    ObjectNode responseFormat =
        ContextDefinitions.responseFormat(
            config.get("response_format"), at + ".response_format", problems);
    SummarizationConfig summarization =
        ContextDefinitions.summarization(
            config.get("summarization"), at + ".summarization", problems);
    Map<String, InterruptRule> interruptOn =
        interruptOn(config.get("interrupt_on"), at + ".interrupt_on");
    if (id == null || type == null || name == null || prompt == null) return null;
    NodeDefinition parsed =
        new NodeDefinition(
            id,
            type,
            name,
            description,
            prompt,
            model,
            tools,
            interruptOn,
            responseFormat,
            summarization);
    nodePaths.put(parsed, at + ".interrupt_on");
    return parsed;
  }

  /**
   * {@code interrupt_on}: {tool: true | false | {allowed_decisions?, description?}}, deepagents'
   * format; true allows every decision, false (or an absent tool) needs no approval.
   */
  private Map<String, InterruptRule> interruptOn(JsonNode value, String path) {
    Map<String, InterruptRule> rules = new LinkedHashMap<>();
    if (value == null || value.isNull()) return rules;
    if (!value.isObject()) {
      problem(
          ProblemCode.DEF_FIELD_TYPE,
          path,
          "must be an object {tool: true | {allowed_decisions, description}}, not " + kind(value));
      return rules;
    }
    value
        .fields()
        .forEachRemaining(
            entry -> {
              InterruptRule rule = interruptRule(entry.getValue(), path + "." + entry.getKey());
              if (rule != null) rules.put(entry.getKey(), rule);
            });
    return rules;
  }

  private InterruptRule interruptRule(JsonNode value, String path) {
    if (value.isBoolean())
      return value.asBoolean() ? new InterruptRule(Decision.TYPES, null) : null;
    if (!value.isObject()) {
      problem(
          ProblemCode.DEF_FIELD_TYPE,
          path,
          "must be true, false or {allowed_decisions, description}, not " + kind(value));
      return null;
    }
    String description = optionalText(value, "description", path);
    JsonNode allowed = value.get("allowed_decisions");
    if (allowed == null || allowed.isNull()) return new InterruptRule(Decision.TYPES, description);
    String at = path + ".allowed_decisions";
    if (!allowed.isArray() || allowed.isEmpty()) {
      problem(
          ProblemCode.DEF_INTERRUPT_DECISION,
          at,
          "must be a non-empty array of " + String.join(", ", Decision.TYPES));
      return null;
    }
    List<String> decisions = new ArrayList<>();
    for (int i = 0; i < allowed.size(); i++) {
      JsonNode decision = allowed.get(i);
      if (decision.isTextual() && Decision.TYPES.contains(decision.asText())) {
        if (!decisions.contains(decision.asText())) decisions.add(decision.asText());
      } else {
        problem(
            ProblemCode.DEF_INTERRUPT_DECISION,
            at + "[" + i + "]",
            "unknown decision "
                + (decision.isTextual() ? "'" + decision.asText() + "'" : kind(decision))
                + " (expected one of "
                + String.join(", ", Decision.TYPES)
                + ")");
      }
    }
    return new InterruptRule(decisions, description);
  }

  /** Every tool named in a node's interrupt_on must be one the node has. */
  private void interruptTools(NodeDefinition node, boolean orchestrator) {
    String path = nodePaths.get(node);
    for (String tool : node.interruptOn().keySet()) {
      boolean builtIn = BUILT_IN_TOOLS.contains(tool) && (orchestrator || !"task".equals(tool));
      if (builtIn || node.tools().contains(tool)) continue;
      problem(
          ProblemCode.DEF_INTERRUPT_TOOL,
          path + "." + tool,
          "node '"
              + node.name()
              + "' has no tool '"
              + tool
              + "': not a built-in tool"
              + (orchestrator ? "" : " of a subagent")
              + " and not in its tools");
    }
  }

  private ModelConfig model(JsonNode model, String path) {
    if (model == null || model.isNull()) return new ModelConfig(null, null, null, null, null);
    if (!model.isObject()) {
      problem(
          ProblemCode.DEF_MODEL,
          path,
          "must be an object {provider, model, temperature?, max_tokens?}");
      return new ModelConfig(null, null, null, null, null);
    }
    String provider = optionalText(model, "provider", path);
    if (provider != null && !PROVIDERS.contains(provider.toLowerCase(Locale.ROOT))) {
      problem(
          ProblemCode.DEF_MODEL_PROVIDER,
          path + ".provider",
          "unknown provider '"
              + provider
              + "' (expected one of "
              + String.join(", ", sorted(PROVIDERS))
              + ")");
    }
    String name = optionalText(model, "model", path);
    Double temperature = null;
    JsonNode t = model.get("temperature");
    if (t != null && !t.isNull()) {
      if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 2) {
        problem(
            ProblemCode.DEF_MODEL_TEMPERATURE,
            path + ".temperature",
            "must be a number from 0 to 2");
      } else {
        temperature = t.asDouble();
      }
    }
    Integer maxTokens = null;
    JsonNode m = model.get("max_tokens");
    if (m != null && !m.isNull()) {
      if (!m.isIntegralNumber() || m.asLong() < 1 || m.asLong() > 1_000_000) {
        problem(
            ProblemCode.DEF_MODEL_MAX_TOKENS,
            path + ".max_tokens",
            "must be a whole number from 1 to 1000000");
      } else {
        maxTokens = m.asInt();
      }
    }
    JsonNode script = model.get("script");
    if ("scripted".equalsIgnoreCase(provider)
        || (provider == null && script != null && !script.isNull())) {
      script(script, path + ".script");
    }
    return new ModelConfig(
        provider == null ? null : provider.toLowerCase(Locale.ROOT),
        name,
        temperature,
        maxTokens,
        script,
        ContextDefinitions.contextWindow(
            model.get("context_window"), path + ".context_window", problems));
  }

  /**
   * A scripted model's script: inline responses, checked here, or a file reference, read at run
   * time.
   */
  private void script(JsonNode script, String path) {
    boolean inline = script != null && script.isArray();
    boolean file = script != null && script.isObject() && script.has("file");
    if (!inline && !file) {
      problem(
          ProblemCode.DEF_MODEL_SCRIPT,
          path,
          "the scripted provider needs script: [responses...] or {\"file\": path}");
    } else if (inline) {
      for (ScriptValidator.ScriptProblem p : ScriptValidator.responses(script))
        problem(p.code(), path + p.relativePath(), p.message());
    } else {
      String fileProblem = ScriptValidator.filePathProblem(script.get("file"));
      if (fileProblem != null) problem(ProblemCode.DEF_SCRIPT_FILE, path + ".file", fileProblem);
    }
  }

  private List<String> toolNames(
      JsonNode array, String path, Map<String, ToolDefinition> customTools) {
    List<String> names = new ArrayList<>();
    if (array == null || array.isNull()) return names;
    if (!array.isArray()) {
      problem(ProblemCode.DEF_NOT_ARRAY, path, "must be an array of tool names");
      return names;
    }
    for (int i = 0; i < array.size(); i++) {
      JsonNode name = array.get(i);
      if (!name.isTextual()) {
        problem(ProblemCode.DEF_TOOL_REF, path + "[" + i + "]", "must be a tool name (string)");
      } else if (name.asText().contains(".")) {
        String problem = mcpToolProblem(name.asText(), customTools);
        if (problem != null) problem(ProblemCode.DEF_TOOL_UNKNOWN, path + "[" + i + "]", problem);
        else names.add(name.asText());
      } else if (!customTools.containsKey(name.asText())
          && !BUILT_IN_TOOLS.contains(name.asText())) {
        problem(
            ProblemCode.DEF_TOOL_UNKNOWN,
            path + "[" + i + "]",
            "unknown tool '"
                + name.asText()
                + "': not a built-in tool and not in tool_definitions");
      } else {
        names.add(name.asText());
      }
    }
    return names;
  }

  /** Why {@code server.tool} names no tool an MCP server of the definition may offer, or null. */
  private static String mcpToolProblem(String reference, Map<String, ToolDefinition> customTools) {
    String server = reference.substring(0, reference.indexOf('.'));
    String tool = reference.substring(reference.indexOf('.') + 1);
    ToolDefinition definition = customTools.get(server);
    if (definition == null || !definition.isMcp())
      return "unknown tool '"
          + reference
          + "': '"
          + server
          + "' is not an MCP server of tool_definitions";
    if (tool.isBlank()) return "'" + reference + "' names no tool of MCP server '" + server + "'";
    if (!definition.mcp().allows(tool))
      return "'" + tool + "' is not in the tools allow-list of MCP server '" + server + "'";
    return null;
  }

  private void edges(JsonNode array, String path) {
    if (array == null || array.isNull()) return;
    if (!array.isArray()) {
      problem(ProblemCode.DEF_NOT_ARRAY, path, "must be an array of edges");
      return;
    }
    for (int i = 0; i < array.size(); i++) {
      JsonNode edge = array.get(i);
      String at = path + "[" + i + "]";
      if (!edge.isObject()) {
        problem(ProblemCode.DEF_NOT_OBJECT, at, "must be a JSON object {source, target}");
        continue;
      }
      for (String end : List.of("source", "target")) {
        String ref = requiredText(edge, end, at);
        if (ref != null
            && !nodeIds.contains(ref)
            && !Set.of("__start__", "__end__", "START", "END").contains(ref)) {
          problem(
              ProblemCode.DEF_EDGE_UNKNOWN_NODE, at + "." + end, "no node has id '" + ref + "'");
        }
      }
    }
  }

  private String requiredText(JsonNode object, String field, String path) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      problem(ProblemCode.DEF_FIELD_MISSING, path + "." + field, "is required");
      return null;
    }
    if (!value.isTextual()) {
      problem(
          ProblemCode.DEF_FIELD_TYPE, path + "." + field, "must be a string, not " + kind(value));
      return null;
    }
    if (value.asText().isBlank()) {
      problem(ProblemCode.DEF_FIELD_BLANK, path + "." + field, "must not be blank");
      return null;
    }
    return value.asText();
  }

  private String optionalText(JsonNode object, String field, String path) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) {
      problem(
          ProblemCode.DEF_FIELD_TYPE, path + "." + field, "must be a string, not " + kind(value));
      return null;
    }
    return value.asText();
  }

  /** JSON type name of a value, for messages. */
  public static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL, MISSING -> "null";
      case STRING -> "a string";
      case BINARY -> "binary";
    };
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }

  private void problem(ProblemCode code, String path, String message) {
    problems.add(new Problem(code, path, message));
  }
}
