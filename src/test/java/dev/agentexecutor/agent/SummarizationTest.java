package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.orchestrator;
import static dev.agentexecutor.agent.AgentTestKit.summarizing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conversation summarisation when the context passes the token threshold. */
class SummarizationTest {
  private static final String LONG = "x".repeat(1200);
  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();

  /** Summary requests get a fixed summary; the agent's own calls a final answer. */
  private final RecordingModel model =
      new RecordingModel(
          (request, tokens) ->
              request.node().endsWith(":summary")
                  ? new ModelResponse(
                      Message.assistant("SUMMARY TEXT", List.of()), new Usage(100, 10))
                  : new ModelResponse(Message.assistant("Answer.", List.of()), new Usage(1, 1)));

  private static ToolCall call(String id) {
    return new ToolCall(id, "ls", dev.agentexecutor.util.Json.object());
  }

  /** u0, a1, u2, a3(2 calls), t4, t5, u6: the last three would start at a tool result. */
  private static List<Message> longConversation() {
    return List.of(
        Message.user("u0 " + LONG),
        Message.assistant("a1 " + LONG, List.of()),
        Message.user("u2 " + LONG),
        Message.assistant("a3", List.of(call("c1"), call("c2"))),
        Message.tool("c1", "ls", "t4 " + LONG),
        Message.tool("c2", "ls", "t5"),
        Message.user("u6 latest question"));
  }

  private AgentState run(List<Message> messages, long threshold, int keep) {
    DeepAgent agent =
        AgentTestKit.agent(
            orchestrator("[{\"content\": \"unused\"}]"),
            model,
            checkpoints,
            summarizing(threshold, keep));
    return agent.run(
        "s1",
        AgentState.initial(messages, Map.of(), Map.of()),
        control(summarizing(threshold, keep), java.time.Clock.systemUTC()),
        RunListener.NONE);
  }

  @Test
  void aLongConversationIsSummarisedKeepingTheLastMessagesAndTheirToolCalls() {
    AgentState end = run(longConversation(), 1000, 3);

    assertThat(model.requests)
        .extracting(ModelRequest::node)
        .containsExactly("lead:summary", "lead");
    List<Message> sent = model.requests.get(1).messages();
    assertThat(sent)
        .extracting(Message::role)
        .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.USER);
    assertThat(sent.get(1).content())
        .isEqualTo("Summary of the earlier conversation:\nSUMMARY TEXT");
    assertThat(sent.get(2).toolCalls()).extracting(ToolCall::id).containsExactly("c1", "c2");
    assertThat(end.messages()).hasSize(6);
    assertThat(end.lastMessage().content()).isEqualTo("Answer.");
  }

  @Test
  void theSummaryRequestHoldsOnlyTheOlderMessagesAndAsksForASummary() {
    run(longConversation(), 1000, 3);

    List<Message> summaryRequest = model.requests.get(0).messages();
    assertThat(summaryRequest.get(0).role()).isEqualTo(Role.SYSTEM);
    assertThat(summaryRequest.subList(1, 4))
        .extracting(m -> m.content().substring(0, 2))
        .containsExactly("u0", "a1", "u2");
    assertThat(summaryRequest.get(4).content()).isEqualTo(Prompts.SUMMARY_REQUEST);
    assertThat(model.requests.get(0).tools()).isEmpty();
  }

  @Test
  void theSummaryCallCountsTowardsTheRunsTokens() {
    RunControl control = control(summarizing(1000, 3), java.time.Clock.systemUTC());
    DeepAgent agent =
        AgentTestKit.agent(
            orchestrator("[{\"content\": \"unused\"}]"), model, checkpoints, summarizing(1000, 3));

    AgentState end =
        agent.run(
            "s2",
            AgentState.initial(longConversation(), Map.of(), Map.of()),
            control,
            RunListener.NONE);

    assertThat(control.usage()).isEqualTo(new Usage(101, 11));
    assertThat(end.usage()).isEqualTo(new Usage(101, 11));
  }

  @Test
  void aConversationUnderTheThresholdIsLeftAlone() {
    AgentState end = run(List.of(Message.user("short question")), 1000, 3);

    assertThat(model.requests).extracting(ModelRequest::node).containsExactly("lead");
    assertThat(end.messages()).hasSize(2);
  }

  @Test
  void neverOrphansAToolResultEvenWhenTheCutFallsRightAfterTheFirstMessage() {
    List<Message> messages =
        List.of(
            Message.assistant("a0 " + LONG, List.of(call("c1"), call("c2"))),
            Message.tool("c1", "ls", "t1 " + LONG),
            Message.tool("c2", "ls", "t2 " + LONG),
            Message.user("u3 " + LONG));

    run(messages, 1000, 3);

    List<Message> sent = model.requests.get(model.requests.size() - 1).messages();
    for (int i = 0; i < sent.size(); i++) {
      if (sent.get(i).role() != Role.TOOL) continue;
      String id = sent.get(i).toolCallId();
      assertThat(sent.subList(0, i))
          .as("the call answered by message %d", i)
          .anyMatch(m -> m.toolCalls().stream().anyMatch(c -> c.id().equals(id)));
    }
  }

  @Test
  void theCutMovesBackOverToolResultsOrForwardWhenBackWouldKeepEverything() {
    List<Message> startsWithCall =
        List.of(
            Message.assistant("a0", List.of(call("c1"))),
            Message.tool("c1", "ls", "t1"),
            Message.user("u2"),
            Message.assistant("a3", List.of(call("c3"))),
            Message.tool("c3", "ls", "t4"));

    assertThat(Summarizer.cutIndex(longConversation(), 3)).isEqualTo(3);
    assertThat(Summarizer.cutIndex(longConversation(), 2)).isEqualTo(3);
    assertThat(Summarizer.cutIndex(longConversation(), 1)).isEqualTo(6);
    assertThat(Summarizer.cutIndex(startsWithCall, 4)).isEqualTo(2);
    assertThat(
            Summarizer.cutIndex(
                List.of(Message.assistant("a", List.of(call("c"))), Message.tool("c", "ls", "t")),
                1))
        .isZero();
  }
}
