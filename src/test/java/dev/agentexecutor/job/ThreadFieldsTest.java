package dev.agentexecutor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.util.Json;
import org.junit.jupiter.api.Test;

/** The thread fields of a job: thread_id, checkpoint_id (a fork) and multitask_strategy. */
class ThreadFieldsTest {
  private static ObjectNode job() {
    return (ObjectNode)
        Json.parse(
            """
            {"trace_id": "trace-1", "job_id": "job-1", "agent_definition": {},
             "input_payload": {"instructions": "Say hello"}}""");
  }

  private static Job parse(ObjectNode node) {
    return JobParser.fromJobNode(node);
  }

  private static void rejects(ObjectNode node, String code, String path) {
    assertThatThrownBy(() -> parse(node))
        .isInstanceOfSatisfying(
            InvalidJobException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.problems())
                  .extracting(Problem::code, Problem::path)
                  .contains(tuple(code, path));
              assertThat(e.jobId()).isEqualTo("job-1");
            });
  }

  @Test
  void aJobWithoutThreadFieldsIsItsOwnThreadAndRejectsOthersRuns() {
    Job job = parse(job());

    assertThat(job.threadId()).isEqualTo("job-1");
    assertThat(job.joinsThread()).isFalse();
    assertThat(job.fork()).isNull();
    assertThat(job.multitask()).isEqualTo(MultitaskStrategy.REJECT);
  }

  @Test
  void aJobJoinsTheThreadItNamesWithTheStrategyItNames() {
    Job job = parse(job().put("thread_id", "conversation-7").put("multitask_strategy", "enqueue"));

    assertThat(job.threadId()).isEqualTo("conversation-7");
    assertThat(job.joinsThread()).isTrue();
    assertThat(job.multitask()).isEqualTo(MultitaskStrategy.ENQUEUE);
    assertThat(parse(job().put("multitask_strategy", "interrupt")).multitask())
        .isEqualTo(MultitaskStrategy.INTERRUPT);
    assertThat(parse(job().putNull("thread_id")).threadId()).isEqualTo("job-1");
  }

  @Test
  void aForkReadsTheNamedThreadAndWritesTheJobsOwn() {
    Job job = parse(job().put("thread_id", "conversation-7").put("checkpoint_id", "cp-1"));

    assertThat(job.fork()).isEqualTo(new Job.ForkPoint("conversation-7", "cp-1"));
    assertThat(job.threadId()).isEqualTo("job-1");
    assertThat(job.joinsThread()).isFalse();
  }

  @Test
  void threadIdsHoldTheSafeAlphabetOnly() {
    rejects(job().put("thread_id", "a b"), "JOB_FIELD_FORMAT", "$.thread_id");
    rejects(job().put("thread_id", ""), "JOB_FIELD_BLANK", "$.thread_id");
    rejects(job().put("thread_id", "x".repeat(257)), "JOB_FIELD_TOO_LONG", "$.thread_id");
    rejects(job().put("thread_id", 7), "JOB_FIELD_TYPE", "$.thread_id");
    rejects(
        job().put("thread_id", "t").put("checkpoint_id", "../x"),
        "JOB_FIELD_FORMAT",
        "$.checkpoint_id");
  }

  @Test
  void aCheckpointNeedsAThreadOtherThanTheJobsOwn() {
    rejects(job().put("checkpoint_id", "cp-1"), "JOB_FORK_THREAD", "$.checkpoint_id");
    rejects(
        job().put("thread_id", "job-1").put("checkpoint_id", "cp-1"),
        "JOB_FORK_THREAD",
        "$.checkpoint_id");
  }

  @Test
  void anUnknownStrategyIsRefused() {
    rejects(
        job().put("multitask_strategy", "rollback"),
        "JOB_MULTITASK_STRATEGY",
        "$.multitask_strategy");
    rejects(
        job().put("multitask_strategy", "REJECT"),
        "JOB_MULTITASK_STRATEGY",
        "$.multitask_strategy");
    rejects(job().put("multitask_strategy", 1), "JOB_MULTITASK_STRATEGY", "$.multitask_strategy");
  }
}
