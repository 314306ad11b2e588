package dev.agentexecutor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.app.Application;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example job is valid, and the scripted one runs to completion with the files it promises.
 */
class ExamplesTest {
  static Stream<Path> examples() throws IOException {
    return Files.list(Path.of("examples")).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleIsAValidJob(Path example) throws IOException {
    Job job = JobParser.fromJobNode(Json.parse(Files.readAllBytes(example)));
    assertThat(job.jobId()).isNotBlank();
  }

  @Test
  void theScriptedResearchTeamRunsToCompletion() throws IOException {
    Job job =
        JobParser.fromJobNode(
            Json.parse(Files.readAllBytes(Path.of("examples/research-team.json"))));
    try (Application app = Application.offline(Settings.from(Map.of()))) {
      Outcome outcome = app.runner().execute(job);

      assertThat(outcome).isInstanceOf(Outcome.Completed.class);
      var data = ResultEvents.data(((Outcome.Completed) outcome).result());
      assertThat(data.path("result").path("output").asText()).contains("/report.md");
      var files =
          app.backends().checkpointer().latest(job.jobId(), "").orElseThrow().state().files();
      assertThat(files.keySet()).containsExactly("/report.md", "/research/notes.md");
      assertThat(List.of(files.get("/report.md").text()))
          .allMatch(t -> t.startsWith("# Durable execution"));
    }
  }

  @Test
  void theApprovalExampleParksOnItsWriteAndAnApprovalPublishesTheAnnouncement() throws IOException {
    Job job =
        JobParser.fromJobNode(Json.parse(Files.readAllBytes(Path.of("examples/approval.json"))));
    try (Application app = Application.offline(Settings.from(Map.of()))) {
      Outcome parked = app.runner().execute(job);

      assertThat(parked).isInstanceOf(Outcome.Interrupted.class);
      var interrupts =
          ResultEvents.data(((Outcome.Interrupted) parked).result()).path("interrupts");
      assertThat(interrupts).hasSize(1);
      assertThat(interrupts.get(0).path("tool").asText()).isEqualTo("write_file");
      assertThat(app.backends().checkpointer().latest(job.jobId(), "").orElseThrow().state())
          .extracting(s -> s.files().keySet())
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.COLLECTION)
          .isEmpty();

      Outcome done =
          app.runner()
              .resume(
                  new dev.agentexecutor.job.ResumeRequest(
                      job.jobId(),
                      job.traceId(),
                      job.tenant(),
                      List.of(new dev.agentexecutor.agent.run.Decision.Approve()),
                      job.trace()),
                  false);

      assertThat(done).isInstanceOf(Outcome.Completed.class);
      var state = app.backends().checkpointer().latest(job.jobId(), "").orElseThrow().state();
      assertThat(state.files().get("/announcement.md").text()).startsWith("# Release 2.0");
      assertThat(state.todos()).allMatch(t -> t.status().equals("completed"));
    }
  }

  @Test
  void theParallelReviewEndsWithAStructuredVerdictBuiltFromTwoStructuredReviews()
      throws IOException {
    Job job =
        JobParser.fromJobNode(
            Json.parse(Files.readAllBytes(Path.of("examples/parallel-review.json"))));
    try (Application app = Application.offline(Settings.from(Map.of()))) {
      Outcome outcome = app.runner().execute(job);

      assertThat(outcome).isInstanceOf(Outcome.Completed.class);
      var result = ResultEvents.data(((Outcome.Completed) outcome).result()).path("result");
      assertThat(result.path("structured_response").path("verdict").asText()).isEqualTo("publish");
      assertThat(result.path("structured_response").path("facts_score").asInt()).isEqualTo(9);
      var messages =
          app.backends().checkpointer().latest(job.jobId(), "").orElseThrow().state().messages();
      assertThat(messages.stream().filter(m -> m.toolCallId() != null).map(m -> m.content()))
          .containsExactly(
              "{\"score\": 8, \"remark\": \"Tighten the introduction.\"}",
              "{\"score\": 9, \"remark\": \"All claims check out.\"}");
      assertThat(result.path("usage_by_node").fieldNames())
          .toIterable()
          .containsExactlyInAnyOrder("editor", "style-reviewer", "fact-checker");
    }
  }
}
