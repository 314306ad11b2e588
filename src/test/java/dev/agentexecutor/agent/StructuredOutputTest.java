package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.model.ModelRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node's response_format: the answer validated, sent back with its violations, or the run fails.
 */
class StructuredOutputTest {
  private static final String SCHEMA =
      """
      {"type": "object", "additionalProperties": false, "required": ["city", "score"],
       "properties": {"city": {"type": "string"}, "score": {"type": "integer", "minimum": 0}}}""";

  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();
  private final RecordingModel model = new RecordingModel(AgentTestKit.router());

  private static String definition(String script) {
    return """
        {"nodes": [{"id": "lead", "type": "orchestrator", "config": {
           "name": "lead", "system_prompt": "You lead.", "response_format": %s,
           "model": {"provider": "scripted", "model": "m", "script": %s}}}]}
        """
        .formatted(SCHEMA, script);
  }

  private AgentState run(DeepAgent agent, RunControl control) {
    return agent.run("so-1", input("Rate a city"), control, RunListener.NONE);
  }

  @Test
  void aValidAnswerIsTheStructuredResponseAndTheSchemaIsInThePromptAndTheRequest() {
    DeepAgent agent =
        AgentTestKit.agent(
            definition("[{\"content\": \"{\\\"city\\\": \\\"Oslo\\\", \\\"score\\\": 9}\"}]"),
            model,
            checkpoints);

    AgentState end = run(agent, control());

    assertThat(agent.structuredResponse(end).path("city").asText()).isEqualTo("Oslo");
    ModelRequest request = model.requests.get(0);
    assertThat(request.responseFormat().path("required").toString()).contains("city", "score");
    assertThat(request.messages().get(0).content()).contains("## Final answer format");
  }

  @Test
  void anInvalidAnswerIsSentBackWithItsViolationsAndTheNextOneAccepted() {
    DeepAgent agent =
        AgentTestKit.agent(
            definition(
                """
                [{"content": "Oslo is lovely"},
                 {"content": "{\\"city\\": \\"Oslo\\", \\"score\\": -2}"},
                 {"content": "```json\\n{\\"city\\": \\"Oslo\\", \\"score\\": 8}\\n```"}]"""),
            model,
            checkpoints);
    RunControl control = control();

    AgentState end = run(agent, control);

    assertThat(model.requests).hasSize(3);
    List<Message> corrections =
        end.messages().stream()
            .filter(m -> m.role() == Role.USER && m.content().startsWith("Your final answer"))
            .toList();
    assertThat(corrections).hasSize(2);
    assertThat(corrections.get(0).content()).contains("not JSON");
    assertThat(corrections.get(1).content()).contains("$.score").contains("minimum");
    assertThat(agent.structuredResponse(end).path("score").asInt()).isEqualTo(8);
    assertThat(end.modelCalls()).isEqualTo(3);
  }

  @Test
  void theRunFailsNamingTheViolationsWhenTheRetriesAreUsedUp() {
    DeepAgent agent =
        AgentTestKit.agent(
            definition(
                """
                [{"content": "{\\"city\\": 1, \\"score\\": 2}"},
                 {"content": "{\\"city\\": 2, \\"score\\": 2}"},
                 {"content": "{\\"city\\": 3, \\"score\\": 2}"},
                 {"content": "{\\"city\\": \\"never asked\\", \\"score\\": 2}"}]"""),
            model,
            checkpoints);

    assertThatThrownBy(() -> run(agent, control()))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> assertThat(e.errorType()).isEqualTo("StructuredOutputInvalid"))
        .hasMessageContaining("the final answer of lead does not match its response_format")
        .hasMessageContaining("after 3 attempts (STRUCTURED_OUTPUT_MAX_RETRIES=2)")
        .hasMessageContaining("$.city");
    assertThat(model.requests).hasSize(3);
  }

  @Test
  void aSubagentsStructuredAnswerIsItsTaskResult() {
    String definition =
        """
        {"nodes": [
          {"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "You lead.",
            "model": {"provider": "scripted", "model": "m", "script": [
              {"tool_calls": [{"name": "task", "id": "t1", "args": {"description": "rate Oslo", "subagent_type": "rater"}}]},
              {"content": "Rated."}]}}},
          {"id": "rater", "type": "subagent", "config": {"name": "rater", "system_prompt": "You rate.",
            "response_format": %s,
            "model": {"provider": "scripted", "model": "m", "script": [
              {"content": "no json"},
              {"content": "{\\"city\\": \\"Oslo\\", \\"score\\": 7}"}]}}}]}
        """
            .formatted(SCHEMA);
    DeepAgent agent = AgentTestKit.agent(definition, model, checkpoints);

    AgentState end = run(agent, control());

    Message taskResult =
        end.messages().stream().filter(m -> "t1".equals(m.toolCallId())).findFirst().orElseThrow();
    assertThat(taskResult.content()).isEqualTo("{\"city\": \"Oslo\", \"score\": 7}");
    assertThat(agent.structuredResponse(end)).as("the orchestrator answers in free text").isNull();
  }
}
