package dev.agentexecutor.agent.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.model.ScriptValidator;
import dev.agentexecutor.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scripted responses are checked when the definition is, with DEF_SCRIPT_* codes and JSON paths
 * (issue 9.14).
 */
class ScriptValidationTest {
  private static final String AT = "$.agent_definition.nodes[0].config.model";

  private static List<Problem> problems(String provider, JsonNode script) {
    var model = Json.object();
    if (provider != null) model.put("provider", provider);
    model.set("script", script);
    var definition = Json.object();
    var config =
        definition
            .putArray("nodes")
            .addObject()
            .put("id", "lead")
            .put("type", "orchestrator")
            .putObject("config")
            .put("name", "lead")
            .put("system_prompt", "Lead.");
    config.set("model", model);
    return DefinitionParser.problems(definition, "$.agent_definition");
  }

  @Test
  void aWellFormedScriptHasNoProblems() {
    assertThat(
            problems(
                "scripted",
                Json.parse(
                    """
        [{"content": "Planning.", "tool_calls": [{"name": "write_todos", "args": {"todos": []}, "id": "c1"}],
          "usage": {"input_tokens": 10, "output_tokens": 2}, "delay_ms": 60000},
         {"tool_calls": [{"name": "ls"}]},
         {"content": "done", "delay_ms": null, "usage": null}]""")))
        .isEmpty();
    assertThat(problems("scripted", Json.object().put("file", "scripts/team.json"))).isEmpty();
  }

  @Test
  void scriptFilesMustBeRelativePathsWithoutParentSegments() {
    for (String file :
        List.of(
            "/etc/shadow",
            "../secret.json",
            "a/../../b.json",
            "~/x.json",
            "C:\\x.json",
            "..\\x.json",
            "a\nb",
            "")) {
      assertThat(problems("scripted", Json.object().put("file", file)))
          .as(file)
          .extracting(Problem::code, Problem::path)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("DEF_SCRIPT_FILE", AT + ".script.file"));
    }
    assertThat(problems("scripted", Json.object().put("file", 3)))
        .extracting(Problem::code)
        .containsExactly("DEF_SCRIPT_FILE");
  }

  @Test
  void delaysAreBoundedAndScriptsHaveAMostResponses() {
    assertThat(problems("scripted", Json.parse("[{\"content\": \"x\", \"delay_ms\": 60001}]")))
        .extracting(Problem::code, Problem::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("DEF_SCRIPT_DELAY", AT + ".script[0].delay_ms"));
    assertThat(problems("scripted", Json.parse("[{\"content\": \"x\", \"delay_ms\": 1.5}]")))
        .extracting(Problem::code)
        .containsExactly("DEF_SCRIPT_DELAY");
    ArrayNode tooLong = Json.MAPPER.createArrayNode();
    for (int i = 0; i <= ScriptValidator.MAX_RESPONSES; i++)
      tooLong.addObject().put("content", "x");
    assertThat(problems("scripted", tooLong))
        .extracting(Problem::code, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "DEF_SCRIPT_TOO_LONG", "has 10001 responses; the limit is 10000"));
  }

  @Test
  void aScriptIsCheckedWhenTheNodeNamesNoProviderAndIgnoredForAnotherProvider() {
    JsonNode bad = Json.parse("[{\"delay_ms\": 1}]");

    assertThat(problems(null, bad))
        .extracting(Problem::code)
        .containsExactly("DEF_SCRIPT_RESPONSE");
    assertThat(problems("openai", bad)).isEmpty();
    assertThat(problems("scripted", Json.parse("\"script.json\"")))
        .extracting(Problem::code)
        .containsExactly("DEF_MODEL_SCRIPT");
  }

  @Test
  void toolCallsNeedANameAndObjectArgumentsAndUsageCountsTokens() {
    assertThat(
            problems(
                "scripted",
                Json.parse(
                    """
        [{"tool_calls": {"name": "ls"}},
         {"tool_calls": [{"name": " "}, {"name": "ls", "id": 7}, 5]},
         {"content": "x", "usage": {"input_tokens": "many", "output_tokens": 1}},
         {"content": "x", "usage": [1, 2]}]""")))
        .extracting(Problem::code, Problem::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "DEF_SCRIPT_TOOL_CALLS", AT + ".script[0].tool_calls"),
            org.assertj.core.groups.Tuple.tuple(
                "DEF_SCRIPT_TOOL_CALLS", AT + ".script[1].tool_calls[0].name"),
            org.assertj.core.groups.Tuple.tuple(
                "DEF_SCRIPT_TOOL_CALLS", AT + ".script[1].tool_calls[1].id"),
            org.assertj.core.groups.Tuple.tuple(
                "DEF_SCRIPT_TOOL_CALLS", AT + ".script[1].tool_calls[2]"),
            org.assertj.core.groups.Tuple.tuple(
                "DEF_SCRIPT_USAGE", AT + ".script[2].usage.input_tokens"),
            org.assertj.core.groups.Tuple.tuple("DEF_SCRIPT_USAGE", AT + ".script[3].usage"));
  }
}
