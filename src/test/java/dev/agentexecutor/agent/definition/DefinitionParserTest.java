package dev.agentexecutor.agent.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefinitionParserTest {
  private static final String AT = "$.agent_definition";

  /** A valid node; {@code extra} is spliced into its config. */
  private static String node(String id, String type, String name, String extra) {
    return """
        {"id": "%s", "type": "%s", "config": {"name": "%s", "system_prompt": "You are %s.",
         "model": {"provider": "openai", "model": "gpt-4o"}%s}}"""
        .formatted(id, type, name, name, extra.isEmpty() ? "" : ", " + extra);
  }

  private static String node(String id, String type, String name) {
    return node(id, type, name, "");
  }

  private static String httpTool(String name, String runtime) {
    return "{\"name\": \"%s\", \"description\": \"d\", \"runtime\": %s}".formatted(name, runtime);
  }

  private static final String HTTP = "{\"http\": {\"url\": \"https://tools.example.com/x\"}}";

  private static String withNodes(String... nodes) {
    return "{\"nodes\": [" + String.join(", ", nodes) + "]}";
  }

  private static String withTools(String tools, String... nodes) {
    return "{\"tool_definitions\": [" + tools + "], \"nodes\": [" + String.join(", ", nodes) + "]}";
  }

  static Stream<Arguments> invalidDefinitions() {
    String lead = node("lead", "orchestrator", "lead");
    return Stream.of(
        Arguments.of("not an object", "[]", "DEF_NOT_OBJECT", AT),
        Arguments.of(
            "interrupt_on names a tool nobody defined",
            withNodes(node("a", "orchestrator", "a", "\"interrupt_on\": {\"delete_db\": true}")),
            "DEF_INTERRUPT_TOOL",
            AT + ".nodes[0].config.interrupt_on.delete_db"),
        Arguments.of(
            "interrupt_on names a defined tool the node does not list",
            withTools(
                httpTool("search", HTTP),
                node("a", "orchestrator", "a", "\"interrupt_on\": {\"search\": true}")),
            "DEF_INTERRUPT_TOOL",
            AT + ".nodes[0].config.interrupt_on.search"),
        Arguments.of(
            "interrupt_on task on a subagent, which has no task tool",
            withNodes(
                node("lead", "orchestrator", "lead"),
                node("s", "specialist", "s", "\"interrupt_on\": {\"task\": true}")),
            "DEF_INTERRUPT_TOOL",
            AT + ".nodes[1].config.interrupt_on.task"),
        Arguments.of(
            "interrupt_on task on the first node when it leads without the orchestrator type",
            withNodes(
                node("s", "specialist", "s", "\"interrupt_on\": {\"task\": false}"),
                node("t", "specialist", "t", "\"interrupt_on\": {\"task\": true}")),
            "DEF_INTERRUPT_TOOL",
            AT + ".nodes[1].config.interrupt_on.task"),
        Arguments.of(
            "an unknown decision",
            withNodes(
                node(
                    "a",
                    "orchestrator",
                    "a",
                    "\"interrupt_on\": {\"write_file\": {\"allowed_decisions\": [\"approve\", \"ignore\"]}}")),
            "DEF_INTERRUPT_DECISION",
            AT + ".nodes[0].config.interrupt_on.write_file.allowed_decisions[1]"),
        Arguments.of(
            "no decision allowed",
            withNodes(
                node(
                    "a",
                    "orchestrator",
                    "a",
                    "\"interrupt_on\": {\"write_file\": {\"allowed_decisions\": []}}")),
            "DEF_INTERRUPT_DECISION",
            AT + ".nodes[0].config.interrupt_on.write_file.allowed_decisions"),
        Arguments.of(
            "a rule that is neither a boolean nor an object",
            withNodes(node("a", "orchestrator", "a", "\"interrupt_on\": {\"ls\": \"yes\"}")),
            "DEF_FIELD_TYPE",
            AT + ".nodes[0].config.interrupt_on.ls"),
        Arguments.of(
            "interrupt_on not an object",
            withNodes(node("a", "orchestrator", "a", "\"interrupt_on\": [\"ls\"]")),
            "DEF_FIELD_TYPE",
            AT + ".nodes[0].config.interrupt_on"),
        Arguments.of(
            "unknown node type",
            withNodes(node("a", "manager", "a")),
            "DEF_NODE_TYPE",
            AT + ".nodes[0].type"),
        Arguments.of(
            "missing node type",
            withNodes("{\"id\": \"a\", \"config\": {\"name\": \"a\", \"system_prompt\": \"p\"}}"),
            "DEF_FIELD_MISSING",
            AT + ".nodes[0].type"),
        Arguments.of(
            "missing config",
            withNodes("{\"id\": \"a\", \"type\": \"orchestrator\"}"),
            "DEF_NODE_CONFIG",
            AT + ".nodes[0].config"),
        Arguments.of(
            "config not an object",
            withNodes("{\"id\": \"a\", \"type\": \"orchestrator\", \"config\": \"x\"}"),
            "DEF_NODE_CONFIG",
            AT + ".nodes[0].config"),
        Arguments.of(
            "missing system_prompt",
            withNodes("{\"id\": \"a\", \"type\": \"orchestrator\", \"config\": {\"name\": \"a\"}}"),
            "DEF_FIELD_MISSING",
            AT + ".nodes[0].config.system_prompt"),
        Arguments.of(
            "blank name",
            withNodes(node("a", "orchestrator", "  ")),
            "DEF_FIELD_BLANK",
            AT + ".nodes[0].config.name"),
        Arguments.of(
            "name with spaces",
            withNodes(node("a", "orchestrator", "my agent")),
            "DEF_NODE_NAME",
            AT + ".nodes[0].config.name"),
        Arguments.of(
            "duplicate node id",
            withNodes(lead, node("lead", "specialist", "other")),
            "DEF_NODE_DUPLICATE",
            AT + ".nodes[1].id"),
        Arguments.of(
            "duplicate subagent names",
            withNodes(lead, node("a", "specialist", "x"), node("b", "specialist", "x")),
            "DEF_SUBAGENT_DUPLICATE",
            AT + ".nodes[2].config.name"),
        Arguments.of(
            "reserved general-purpose name",
            withNodes(lead, node("gp", "specialist", "general-purpose")),
            "DEF_SUBAGENT_RESERVED",
            AT + ".nodes[1].config.name"),
        Arguments.of(
            "two orchestrators",
            withNodes(lead, node("b", "Orchestrator", "b")),
            "DEF_ORCHESTRATOR_DUPLICATE",
            AT + ".nodes[1].type"),
        Arguments.of(
            "unknown tool in node tools",
            withNodes(node("a", "orchestrator", "a", "\"tools\": [\"search\"]")),
            "DEF_TOOL_UNKNOWN",
            AT + ".nodes[0].config.tools[0]"),
        Arguments.of(
            "tool reference not a string",
            withNodes(node("a", "orchestrator", "a", "\"tools\": [3]")),
            "DEF_TOOL_REF",
            AT + ".nodes[0].config.tools[0]"),
        Arguments.of(
            "node tools not an array",
            withNodes(node("a", "orchestrator", "a", "\"tools\": \"ls\"")),
            "DEF_NOT_ARRAY",
            AT + ".nodes[0].config.tools"),
        Arguments.of(
            "duplicate tool definitions",
            withTools(httpTool("search", HTTP) + ", " + httpTool("search", HTTP), lead),
            "DEF_TOOL_DUPLICATE",
            AT + ".tool_definitions[1].name"),
        Arguments.of(
            "tool named like a built-in",
            withTools(httpTool("read_file", HTTP), lead),
            "DEF_TOOL_RESERVED",
            AT + ".tool_definitions[0].name"),
        Arguments.of(
            "tool name with spaces",
            withTools(httpTool("web search", HTTP), lead),
            "DEF_TOOL_NAME",
            AT + ".tool_definitions[0].name"),
        Arguments.of(
            "tool without runtime",
            withTools("{\"name\": \"search\"}", lead),
            "DEF_TOOL_RUNTIME",
            AT + ".tool_definitions[0].runtime.http"),
        Arguments.of(
            "python script tool",
            withTools(httpTool("calc", "{\"script\": \"def run(x): return x\"}"), lead),
            "DEF_TOOL_SCRIPT",
            AT + ".tool_definitions[0].runtime.script"),
        Arguments.of(
            "top-level script tool",
            withTools("{\"name\": \"calc\", \"script\": \"print(1)\"}", lead),
            "DEF_TOOL_SCRIPT",
            AT + ".tool_definitions[0].script"),
        Arguments.of(
            "non-http url",
            withTools(httpTool("search", "{\"http\": {\"url\": \"file:///etc/passwd\"}}"), lead),
            "DEF_TOOL_URL",
            AT + ".tool_definitions[0].runtime.http.url"),
        Arguments.of(
            "relative url",
            withTools(httpTool("search", "{\"http\": {\"url\": \"/search\"}}"), lead),
            "DEF_TOOL_URL",
            AT + ".tool_definitions[0].runtime.http.url"),
        Arguments.of(
            "unparseable url",
            withTools(httpTool("search", "{\"http\": {\"url\": \"http://a b\"}}"), lead),
            "DEF_TOOL_URL",
            AT + ".tool_definitions[0].runtime.http.url"),
        Arguments.of(
            "missing url",
            withTools(httpTool("search", "{\"http\": {}}"), lead),
            "DEF_FIELD_MISSING",
            AT + ".tool_definitions[0].runtime.http.url"),
        Arguments.of(
            "bad method",
            withTools(
                httpTool("search", "{\"http\": {\"url\": \"http://h/x\", \"method\": \"FETCH\"}}"),
                lead),
            "DEF_TOOL_METHOD",
            AT + ".tool_definitions[0].runtime.http.method"),
        Arguments.of(
            "headers not an object",
            withTools(
                httpTool("search", "{\"http\": {\"url\": \"http://h/x\", \"headers\": [1]}}"),
                lead),
            "DEF_TOOL_HEADERS",
            AT + ".tool_definitions[0].runtime.http.headers"),
        Arguments.of(
            "header value not a string",
            withTools(
                httpTool(
                    "search", "{\"http\": {\"url\": \"http://h/x\", \"headers\": {\"X-N\": 1}}}"),
                lead),
            "DEF_TOOL_HEADERS",
            AT + ".tool_definitions[0].runtime.http.headers.X-N"),
        Arguments.of(
            "header the HTTP client sets itself",
            withTools(
                httpTool(
                    "search",
                    "{\"http\": {\"url\": \"http://h/x\", \"headers\": {\"Host\": \"evil\"}}}"),
                lead),
            "DEF_TOOL_HEADERS",
            AT + ".tool_definitions[0].runtime.http.headers.Host"),
        Arguments.of(
            "header value with a line break",
            withTools(
                httpTool(
                    "search",
                    "{\"http\": {\"url\": \"http://h/x\", \"headers\": {\"X-A\": \"a\\r\\nX-B: b\"}}}"),
                lead),
            "DEF_TOOL_HEADERS",
            AT + ".tool_definitions[0].runtime.http.headers.X-A"),
        Arguments.of(
            "parameters not an object schema",
            withTools(
                "{\"name\": \"s\", \"parameters\": {\"type\": \"array\"}, \"runtime\": "
                    + HTTP
                    + "}",
                lead),
            "DEF_TOOL_PARAMETERS",
            AT + ".tool_definitions[0].parameters.type"),
        Arguments.of(
            "temperature too high",
            withNodes(
                node("a", "orchestrator", "a")
                    .replace("\"gpt-4o\"", "\"gpt-4o\", \"temperature\": 3")),
            "DEF_MODEL_TEMPERATURE",
            AT + ".nodes[0].config.model.temperature"),
        Arguments.of(
            "temperature as text",
            withNodes(
                node("a", "orchestrator", "a")
                    .replace("\"gpt-4o\"", "\"gpt-4o\", \"temperature\": \"hot\"")),
            "DEF_MODEL_TEMPERATURE",
            AT + ".nodes[0].config.model.temperature"),
        Arguments.of(
            "max_tokens zero",
            withNodes(
                node("a", "orchestrator", "a")
                    .replace("\"gpt-4o\"", "\"gpt-4o\", \"max_tokens\": 0")),
            "DEF_MODEL_MAX_TOKENS",
            AT + ".nodes[0].config.model.max_tokens"),
        Arguments.of(
            "max_tokens fractional",
            withNodes(
                node("a", "orchestrator", "a")
                    .replace("\"gpt-4o\"", "\"gpt-4o\", \"max_tokens\": 1.5")),
            "DEF_MODEL_MAX_TOKENS",
            AT + ".nodes[0].config.model.max_tokens"),
        Arguments.of(
            "unknown provider",
            withNodes(node("a", "orchestrator", "a").replace("\"openai\"", "\"gemini\"")),
            "DEF_MODEL_PROVIDER",
            AT + ".nodes[0].config.model.provider"),
        Arguments.of(
            "model not an object",
            withNodes(
                "{\"id\": \"a\", \"type\": \"agent\", \"config\": {\"name\": \"a\", \"system_prompt\": \"p\", \"model\": \"gpt-4o\"}}"),
            "DEF_MODEL",
            AT + ".nodes[0].config.model"),
        Arguments.of(
            "scripted without script",
            withNodes(node("a", "orchestrator", "a").replace("\"openai\"", "\"scripted\"")),
            "DEF_MODEL_SCRIPT",
            AT + ".nodes[0].config.model.script"),
        Arguments.of(
            "edge to an unknown node",
            "{\"nodes\": ["
                + lead
                + "], \"edges\": [{\"source\": \"lead\", \"target\": \"ghost\"}]}",
            "DEF_EDGE_UNKNOWN_NODE",
            AT + ".edges[0].target"),
        Arguments.of(
            "edge without source",
            "{\"nodes\": [" + lead + "], \"edges\": [{\"target\": \"lead\"}]}",
            "DEF_FIELD_MISSING",
            AT + ".edges[0].source"),
        Arguments.of(
            "edges not an array",
            "{\"nodes\": [" + lead + "], \"edges\": {}}",
            "DEF_NOT_ARRAY",
            AT + ".edges"),
        Arguments.of("name not a string", "{\"name\": 42}", "DEF_FIELD_TYPE", AT + ".name"),
        Arguments.of("version an array", "{\"version\": [1]}", "DEF_FIELD_TYPE", AT + ".version"),
        Arguments.of("nodes an object", "{\"nodes\": {}}", "DEF_NOT_ARRAY", AT + ".nodes"),
        Arguments.of(
            "node not an object", "{\"nodes\": [\"lead\"]}", "DEF_NOT_OBJECT", AT + ".nodes[0]"),
        Arguments.of(
            "tool_definitions a string",
            "{\"tool_definitions\": \"search\"}",
            "DEF_NOT_ARRAY",
            AT + ".tool_definitions"),
        Arguments.of(
            "tool definition not an object",
            "{\"tool_definitions\": [1]}",
            "DEF_NOT_OBJECT",
            AT + ".tool_definitions[0]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidDefinitions")
  void reportsExactlyOneProblemWithItsCodeAndJsonPath(
      String name, String definition, String code, String path) {
    List<Problem> problems = DefinitionParser.problems(Json.parse(definition), AT);

    assertThat(problems)
        .extracting(Problem::code, Problem::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(code, path));
    assertThat(problems.get(0).message()).isNotBlank();
  }

  @Test
  void namesThePythonScriptToolAndSaysWhatToDoInstead() {
    List<Problem> problems =
        DefinitionParser.problems(
            Json.parse(
                withTools(
                    httpTool("calculator", "{\"script\": \"import os\"}"),
                    node("a", "orchestrator", "a"))),
            AT);

    assertThat(problems)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .contains("tool 'calculator'")
                    .contains("Python script")
                    .contains("runtime.http"));
  }

  @Test
  void collectsEveryProblemAtOnce() {
    String definition =
        """
        {"name": 1,
         "tool_definitions": [{"name": "calc", "runtime": {"script": "x"}}],
         "nodes": [{"id": "a", "type": "boss", "config": {"name": "a", "system_prompt": "p"}}]}""";

    assertThatThrownBy(() -> DefinitionParser.parse(Json.parse(definition)))
        .isInstanceOfSatisfying(
            DefinitionException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::code)
                    .containsExactlyInAnyOrder(
                        "DEF_FIELD_TYPE", "DEF_TOOL_SCRIPT", "DEF_NODE_TYPE"))
        .hasMessageContaining("$.agent_definition.name")
        .hasMessageContaining("[DEF_NODE_TYPE]");
  }

  @Test
  void anInvalidNodeDoesNotAlsoMakeEdgesToItFail() {
    String definition =
        """
        {"nodes": [%s, {"id": "writer", "type": "specialist", "config": {"name": "writer"}}],
         "edges": [{"source": "lead", "target": "writer"}]}"""
            .formatted(node("lead", "orchestrator", "lead"));

    assertThat(DefinitionParser.problems(Json.parse(definition), AT))
        .extracting(Problem::code)
        .containsExactly("DEF_FIELD_MISSING");
  }

  @Test
  void anEmptyDefinitionIsAGeneralPurposeOrchestratorWithDefaultModel() {
    AgentDefinition definition = DefinitionParser.parse(Json.object());

    assertThat(definition.subagents()).isEmpty();
    assertThat(definition.tools()).isEmpty();
    assertThat(definition.orchestrator().isOrchestrator()).isTrue();
    assertThat(definition.orchestrator().systemPrompt()).contains("general-purpose assistant");
    assertThat(definition.orchestrator().model().provider()).isNull();
    assertThat(definition.orchestrator().model().model()).isNull();
  }

  @Test
  void theOrchestratorIsTheNodeTypedOrchestratorInAnyCase() {
    AgentDefinition definition =
        DefinitionParser.parse(
            Json.parse(
                withNodes(
                    node("r", "specialist", "researcher"),
                    node("boss", "ORCHESTRATOR", "boss"),
                    node("w", "subagent", "writer"))));

    assertThat(definition.orchestrator().name()).isEqualTo("boss");
    assertThat(definition.subagents()).containsOnlyKeys("researcher", "writer");
  }

  @Test
  void withoutAnOrchestratorTheFirstNodeLeads() {
    AgentDefinition definition =
        DefinitionParser.parse(
            Json.parse(
                withNodes(node("r", "specialist", "researcher"), node("w", "agent", "writer"))));

    assertThat(definition.orchestrator().name()).isEqualTo("researcher");
    assertThat(definition.subagents()).containsOnlyKeys("writer");
  }

  @Test
  void aSubagentWithoutDescriptionGetsTheFirst200CharactersOfItsPrompt() {
    String prompt = "p".repeat(150) + "q".repeat(100);
    String definition =
        withNodes(
            node("lead", "orchestrator", "lead"),
            "{\"id\": \"s\", \"type\": \"specialist\", \"config\": {\"name\": \"s\", \"system_prompt\": \""
                + prompt
                + "\"}}",
            "{\"id\": \"t\", \"type\": \"specialist\", \"config\": {\"name\": \"t\", \"description\": \" \", \"system_prompt\": \"short\"}}",
            "{\"id\": \"u\", \"type\": \"specialist\", \"config\": {\"name\": \"u\", \"description\": \"Writes.\", \"system_prompt\": \"long\"}}");

    AgentDefinition parsed = DefinitionParser.parse(Json.parse(definition));

    assertThat(parsed.subagents().get("s").description()).isEqualTo(prompt.substring(0, 200));
    assertThat(parsed.subagents().get("t").description()).isEqualTo("short");
    assertThat(parsed.subagents().get("u").description()).isEqualTo("Writes.");
  }

  @Test
  void readsHttpToolsWithDefaultsAndModelSettings() {
    String definition =
        """
        {"name": "team", "version": 2,
         "tool_definitions": [{"name": "search", "description": "Web search",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
            "runtime": {"http": {"url": "https://tools.example.com/search", "headers": {"X-Key": "k"}}}}],
         "nodes": [{"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "Lead.",
            "model": {"provider": "Anthropic", "model": "claude", "temperature": 0.2, "max_tokens": 1000},
            "tools": ["search", "write_todos"]}}]}""";

    AgentDefinition parsed = DefinitionParser.parse(Json.parse(definition));

    assertThat(parsed.name()).isEqualTo("team");
    assertThat(parsed.version()).isEqualTo("2");
    ToolDefinition search = parsed.tools().get("search");
    assertThat(search.http().method()).isEqualTo("POST");
    assertThat(search.http().url()).hasToString("https://tools.example.com/search");
    assertThat(search.http().headers()).containsEntry("X-Key", "k");
    assertThat(search.parameters().path("properties").has("q")).isTrue();
    assertThat(parsed.orchestrator().model())
        .isEqualTo(new ModelConfig("anthropic", "claude", 0.2, 1000, null));
    assertThat(parsed.orchestrator().tools()).containsExactly("search", "write_todos");
  }

  @Test
  void readsInterruptRulesAsDeepagentsWritesThem() {
    AgentDefinition parsed =
        DefinitionParser.parse(
            Json.parse(
                withTools(
                    httpTool("search", HTTP),
                    node(
                        "lead",
                        "orchestrator",
                        "lead",
                        """
                        "tools": ["search"], "interrupt_on": {"search": true, "ls": false, "task": true,
                          "edit_file": {"allowed_decisions": ["reject", "approve", "reject"],
                                        "description": "Edits need a look"}}"""),
                    node(
                        "s",
                        "specialist",
                        "s",
                        "\"interrupt_on\": {\"write_file\": {\"description\": \"Careful\"}}"))));

    assertThat(parsed.orchestrator().interruptOn())
        .containsOnlyKeys("search", "task", "edit_file")
        .containsEntry("search", new InterruptRule(List.of("approve", "edit", "reject"), null))
        .containsEntry(
            "edit_file", new InterruptRule(List.of("reject", "approve"), "Edits need a look"));
    assertThat(parsed.subagents().get("s").interruptOn().get("write_file"))
        .isEqualTo(new InterruptRule(List.of("approve", "edit", "reject"), "Careful"));
  }

  @Test
  void aToolWithoutParametersTakesAnEmptyObject() {
    AgentDefinition parsed =
        DefinitionParser.parse(
            Json.parse(withTools(httpTool("ping", HTTP), node("a", "orchestrator", "a"))));

    assertThat(parsed.tools().get("ping").parameters())
        .isEqualTo(Json.parse("{\"type\": \"object\", \"properties\": {}}"));
  }

  @Test
  void theExampleJobsDefinitionIsValid() throws Exception {
    var job = Json.parse(Files.readAllBytes(Path.of("examples/research-team.json")));

    AgentDefinition parsed = DefinitionParser.parse(job.get("agent_definition"));

    assertThat(parsed.orchestrator().name()).isEqualTo("lead");
    assertThat(parsed.subagents()).containsOnlyKeys("researcher", "writer");
  }
}
