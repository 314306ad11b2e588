package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.app.Application;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.testkit.TestJobs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The execution path never runs, resumes, gives up or publishes under a job id owned by another
 * tenant, whichever ingress the job came from; the owner's own jobs behave as before.
 */
class TenantOwnershipRunnerTest {
  private final Application app =
      Application.offline(Settings.from(Map.of("LLM_PROVIDER", "scripted")));
  private final JobRunner runner = app.runner();

  @AfterEach
  void close() {
    app.close();
  }

  private List<String> publishedFor(String jobId) {
    return ((MemoryResultPublisher) app.backends().results())
        .published().stream()
            .filter(e -> jobId.equals(e.getSubject()))
            .map(e -> e.getType())
            .toList();
  }

  /** What a run of tenant acme leaves behind while it runs: a checkpoint, no record. */
  private String threadOfAcme() {
    String jobId = TestJobs.newJobId();
    AgentState state =
        AgentState.initial(List.of(Message.user("acme's secret plan")), Map.of(), Map.of());
    app.backends()
        .checkpointer()
        .put(
            new Checkpoint(
                jobId,
                "",
                "1f000000-0000-7000-8000-000000000001",
                null,
                1,
                Instant.now(),
                Checkpoint.Next.MODEL,
                state,
                "acme"));
    return jobId;
  }

  private static dev.agentexecutor.job.Job job(String jobId, String tenant) {
    return JobParser.fromJobNode(TestJobs.threeStepScripted(jobId)).withTenant(tenant);
  }

  @Test
  void anotherTenantsJobCannotResumeItsCheckpoints() {
    String jobId = threadOfAcme();

    Outcome outcome = runner.execute(job(jobId, "globex"));

    assertThat(outcome).isEqualTo(new Outcome.OtherTenant(jobId));
    assertThat(publishedFor(jobId)).isEmpty();
    assertThat(app.backends().events().last(jobId)).isEmpty(); // not even an error or end event
    assertThat(app.backends().checkpointer().latest(jobId, "").orElseThrow().state().messages())
        .extracting(Message::content)
        .containsExactly("acme's secret plan");
  }

  @Test
  void anotherTenantsFinishedJobIsNotReplayedToIt() {
    String jobId = TestJobs.newJobId();
    assertThat(runner.execute(job(jobId, "acme"))).isInstanceOf(Outcome.Completed.class);

    assertThat(runner.execute(job(jobId, "globex"))).isEqualTo(new Outcome.OtherTenant(jobId));
    assertThat(runner.execute(job(jobId, "acme")))
        .isInstanceOf(Outcome.Completed.class)
        .matches(o -> ((Outcome.Completed) o).replayed());
    assertThat(app.backends().jobs().find(jobId))
        .get()
        .extracting(JobRecord::tenant)
        .isEqualTo("acme");
  }

  @Test
  void givingUpAJobUnderAnotherTenantsIdStoresAndPublishesNothing() {
    String jobId = threadOfAcme();

    assertThat(runner.giveUp(jobId, "globex", TraceContext.fresh(), "outage"))
        .isEqualTo(new Outcome.OtherTenant(jobId));
    assertThat(app.backends().jobs().find(jobId)).isEmpty();
    assertThat(publishedFor(jobId)).isEmpty();

    assertThat(runner.giveUp(jobId, "acme", TraceContext.fresh(), "outage"))
        .isInstanceOf(Outcome.Failed.class);
    assertThat(app.backends().jobs().find(jobId))
        .get()
        .extracting(JobRecord::tenant)
        .isEqualTo("acme");
    assertThat(publishedFor(jobId)).containsExactly("dev.my-platform.agent.failed");
  }

  @Test
  void aJobRunningHereUnderAnotherTenantIsNotReportedAsAlreadyRunning() throws Exception {
    String jobId = TestJobs.newJobId();
    var slow = JobParser.fromJobNode(TestJobs.slowScripted(jobId, 20, 50)).withTenant("acme");
    var done = new java.util.concurrent.CountDownLatch(1);
    assertThat(runner.start(slow, done::countDown)).isTrue();

    assertThat(runner.execute(job(jobId, "globex"))).isEqualTo(new Outcome.OtherTenant(jobId));
    assertThat(runner.execute(job(jobId, "acme"))).isEqualTo(new Outcome.AlreadyRunning(jobId));
    runner.cancel(jobId);
    assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(runner.runningTenant(jobId)).isEmpty();
  }
}
