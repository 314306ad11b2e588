package dev.agentexecutor.agent.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.util.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The definition fields of context and tools: response_format, summarization, context_window and
 * MCP servers (runtime.mcp), each mistake a DEF_* problem at its JSON path.
 */
class ContextAndMcpDefinitionTest {
  private static final String AT = "$.agent_definition";

  private static String definition(String tools, String config, String model) {
    return """
        {"tool_definitions": %s, "nodes": [{"id": "lead", "type": "orchestrator", "config": {
           "name": "lead", "system_prompt": "You lead.", "model": %s %s}}]}"""
        .formatted(tools, model, config.isEmpty() ? "" : ", " + config);
  }

  private static final String MODEL = "{\"provider\": \"openai\", \"model\": \"gpt-4o\"}";
  private static final String MCP =
      "[{\"name\": \"search\", \"runtime\": {\"mcp\": {\"url\": \"https://mcp.example.com/mcp\","
          + " \"transport\": \"sse\", \"headers_from_env\": {\"Authorization\": \"SEARCH_MCP_TOKEN\"},"
          + " \"tools\": [\"find\", \"fetch\"]}}}]";

  private static List<Problem> problems(String definition) {
    return DefinitionParser.problems(Json.parse(definition), AT);
  }

  @Test
  void readsEveryNewFieldOfAValidDefinition() {
    String valid =
        definition(
            MCP,
            "\"tools\": [\"search\", \"search.find\"], \"response_format\": {\"type\": \"object\","
                + " \"properties\": {\"a\": {\"type\": \"string\"}}}, \"summarization\":"
                + " {\"trigger\": 0.6, \"keep_messages\": 4}",
            "{\"provider\": \"anthropic\", \"model\": \"claude-sonnet-4-5\", \"context_window\": 150000}");

    AgentDefinition parsed = DefinitionParser.parse(Json.parse(valid));

    NodeDefinition lead = parsed.orchestrator();
    assertThat(lead.responseFormat().path("properties").has("a")).isTrue();
    assertThat(lead.summarization()).isEqualTo(new SummarizationConfig(null, 0.6, 4));
    assertThat(lead.model().contextWindow()).isEqualTo(150_000);
    assertThat(lead.tools()).containsExactly("search", "search.find");
    McpServerRuntime search = parsed.tools().get("search").mcp();
    assertThat(search.url()).hasToString("https://mcp.example.com/mcp");
    assertThat(search.transport()).isEqualTo(McpServerRuntime.Transport.SSE);
    assertThat(search.headersFromEnv()).containsEntry("Authorization", "SEARCH_MCP_TOKEN");
    assertThat(search.tools()).containsExactly("find", "fetch");
  }

  @Test
  void aTokenTriggerIsAWholeNumberOverOne() {
    NodeDefinition lead =
        DefinitionParser.parse(
                Json.parse(definition("[]", "\"summarization\": {\"trigger\": 50000}", MODEL)))
            .orchestrator();

    assertThat(lead.summarization()).isEqualTo(new SummarizationConfig(50_000L, null, null));
  }

  static Stream<Arguments> invalid() {
    String node = AT + ".nodes[0].config";
    String mcp = AT + ".tool_definitions[0].runtime.mcp";
    return Stream.of(
        Arguments.of(
            definition("[]", "\"response_format\": {\"type\": \"array\"}", MODEL),
            "DEF_RESPONSE_FORMAT",
            node + ".response_format"),
        Arguments.of(
            definition(
                "[]", "\"response_format\": {\"type\": \"object\", \"minProperties\": -1}", MODEL),
            "DEF_RESPONSE_FORMAT",
            node + ".response_format"),
        Arguments.of(
            definition(
                "[]",
                "\"response_format\": {\"type\": \"object\", \"$ref\": \"http://169.254.169.254/s.json\"}",
                MODEL),
            "DEF_RESPONSE_FORMAT",
            node + ".response_format"),
        Arguments.of(
            definition("[]", "\"summarization\": {\"trigger\": 0}", MODEL),
            "DEF_SUMMARIZATION",
            node + ".summarization.trigger"),
        Arguments.of(
            definition("[]", "\"summarization\": {\"trigger\": 1.5}", MODEL),
            "DEF_SUMMARIZATION",
            node + ".summarization.trigger"),
        Arguments.of(
            definition("[]", "\"summarization\": {\"keep_messages\": 0}", MODEL),
            "DEF_SUMMARIZATION",
            node + ".summarization.keep_messages"),
        Arguments.of(
            definition("[]", "\"summarization\": \"often\"", MODEL),
            "DEF_SUMMARIZATION",
            node + ".summarization"),
        Arguments.of(
            definition("[]", "", "{\"provider\": \"openai\", \"context_window\": 10}"),
            "DEF_MODEL_CONTEXT_WINDOW",
            node + ".model.context_window"),
        Arguments.of(
            definition(MCP.replace("https://mcp.example.com/mcp", "file:///etc/passwd"), "", MODEL),
            "DEF_MCP_URL",
            mcp + ".url"),
        Arguments.of(
            definition(MCP.replace("\"sse\"", "\"stdio\""), "", MODEL),
            "DEF_MCP_TRANSPORT",
            mcp + ".transport"),
        Arguments.of(
            definition(MCP.replace("\"SEARCH_MCP_TOKEN\"", "\"Bearer sk-secret\""), "", MODEL),
            "DEF_MCP_HEADERS",
            mcp + ".headers_from_env.Authorization"),
        Arguments.of(
            definition(MCP.replace("\"Authorization\"", "\"Host\""), "", MODEL),
            "DEF_MCP_HEADERS",
            mcp + ".headers_from_env.Host"),
        Arguments.of(
            definition(MCP.replace("[\"find\", \"fetch\"]", "\"find\""), "", MODEL),
            "DEF_MCP_TOOLS",
            mcp + ".tools"),
        Arguments.of(
            definition(
                MCP.replace("{\"name\": \"search\",", "{\"name\": \"search\", \"parameters\": {},"),
                "",
                MODEL),
            "DEF_MCP_RUNTIME",
            AT + ".tool_definitions[0]"),
        Arguments.of(
            definition(MCP, "\"tools\": [\"search.delete_all\"]", MODEL),
            "DEF_TOOL_UNKNOWN",
            node + ".tools[0]"),
        Arguments.of(
            definition("[]", "\"tools\": [\"nowhere.find\"]", MODEL),
            "DEF_TOOL_UNKNOWN",
            node + ".tools[0]"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void eachMistakeIsAProblemAtItsPath(String definition, String code, String path) {
    assertThat(problems(definition))
        .extracting(Problem::code, Problem::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(code, path));
  }
}
