package dev.agentexecutor.agent.tools;

import static dev.agentexecutor.agent.tools.ToolTestSupport.call;
import static dev.agentexecutor.agent.tools.ToolTestSupport.withFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Todo;
import dev.agentexecutor.util.Json;
import org.junit.jupiter.api.Test;

class WriteTodosToolTest {
  private final WriteTodosTool tool = new WriteTodosTool();

  @Test
  void replacesTheWholeList() {
    AgentState first =
        call(
                tool,
                """
        {"todos": [{"content": "research", "status": "in_progress"}, {"content": "write", "status": "pending"}]}
        """,
                withFiles())
            .state();

    AgentState second =
        call(tool, "{\"todos\": [{\"content\": \"write\", \"status\": \"completed\"}]}", first)
            .state();

    assertThat(first.todos())
        .containsExactly(new Todo("research", "in_progress"), new Todo("write", "pending"));
    assertThat(second.todos()).containsExactly(new Todo("write", "completed"));
  }

  @Test
  void exposesTodosAsContentAndStatus() {
    AgentState state =
        call(tool, "{\"todos\": [{\"content\": \"plan\", \"status\": \"pending\"}]}", withFiles())
            .state();

    assertThat(Json.tree(state.todos()))
        .isEqualTo(Json.parse("[{\"content\": \"plan\", \"status\": \"pending\"}]"));
  }

  @Test
  void echoesTheNewListToTheModel() {
    ToolResult result =
        call(
            tool, "{\"todos\": [{\"content\": \"plan\", \"status\": \"completed\"}]}", withFiles());

    assertThat(result.output())
        .isEqualTo("Updated todo list to [{\"content\":\"plan\",\"status\":\"completed\"}]");
  }

  @Test
  void rejectsAnUnknownStatus() {
    assertThatThrownBy(
            () ->
                call(
                    tool,
                    "{\"todos\": [{\"content\": \"plan\", \"status\": \"done\"}]}",
                    withFiles()))
        .isInstanceOf(ToolException.class)
        .hasMessage("todo status 'done' is not one of pending, in_progress, completed");
  }

  @Test
  void rejectsAMissingListAndBlankContent() {
    assertThatThrownBy(() -> call(tool, "{\"todos\": \"plan\"}", withFiles()))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("must be a list of {content, status}");
    assertThatThrownBy(
            () ->
                call(
                    tool,
                    "{\"todos\": [{\"content\": \" \", \"status\": \"pending\"}]}",
                    withFiles()))
        .isInstanceOf(ToolException.class)
        .hasMessage("every todo needs a non-empty 'content'");
  }

  @Test
  void rejectsItemsThatAreNotObjectsOrHaveNonTextFields() {
    assertThatThrownBy(() -> call(tool, "{\"todos\": [\"plan\"]}", withFiles()))
        .isInstanceOf(ToolException.class);
    assertThatThrownBy(
            () -> call(tool, "{\"todos\": [{\"content\": \"a\", \"status\": 1}]}", withFiles()))
        .isInstanceOf(ToolException.class);
  }

  @Test
  void acceptsAnEmptyListToClearThePlan() {
    AgentState planned =
        call(tool, "{\"todos\": [{\"content\": \"plan\", \"status\": \"pending\"}]}", withFiles())
            .state();

    assertThat(call(tool, "{\"todos\": []}", planned).state().todos()).isEmpty();
  }
}
