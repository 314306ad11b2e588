package dev.agentexecutor.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.util.Json;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link Checkpointer} must do; each implementation's test extends this. */
public abstract class CheckpointerContract {
  protected abstract Checkpointer checkpointer();

  protected static String newThreadId() {
    return "job-" + UUID.randomUUID();
  }

  @Test
  void latestReturnsEveryPartOfTheStatePut() {
    Checkpoint put = new SampleRun(checkpointer(), newThreadId(), "").start();

    assertThat(checkpointer().latest(put.threadId(), "")).contains(put);
  }

  @Test
  void latestReturnsTheNewestCheckpoint() {
    SampleRun run = SampleRun.started(checkpointer(), newThreadId());
    run.step();
    Checkpoint newest = run.step();

    assertThat(checkpointer().latest(newest.threadId(), "")).contains(newest);
  }

  @Test
  void aCheckpointKeepsItsThreadsTenant() {
    String threadId = newThreadId();
    Checkpoint owned =
        new Checkpoint(
            threadId,
            "",
            "1f000000-0000-7000-8000-000000000001",
            null,
            1,
            java.time.Instant.parse("2025-01-02T03:04:05.123456Z"),
            Checkpoint.Next.MODEL,
            SampleRun.initialState(),
            "acme");
    checkpointer().put(owned);

    assertThat(checkpointer().latest(threadId, ""))
        .get()
        .extracting(Checkpoint::tenant)
        .isEqualTo("acme");
    assertThat(new SampleRun(checkpointer(), newThreadId(), "").start().tenant())
        .isEqualTo("default");
  }

  @Test
  void getReadsAnEarlierCheckpointOfTheThreadWithItsState() {
    SampleRun run = SampleRun.started(checkpointer(), newThreadId());
    Checkpoint earlier = run.step();
    run.step();

    assertThat(checkpointer().get(earlier.threadId(), "", earlier.id())).contains(earlier);
    assertThat(checkpointer().get(earlier.threadId(), "task:x", earlier.id())).isEmpty();
    assertThat(checkpointer().get(newThreadId(), "", earlier.id())).isEmpty();
  }

  @Test
  void historyListsEveryNamespaceNewestFirstInPagesWithoutTheState() {
    String threadId = newThreadId();
    SampleRun orchestrator = SampleRun.started(checkpointer(), threadId);
    Checkpoint first = checkpointer().latest(threadId, "").orElseThrow();
    Checkpoint second = orchestrator.step();
    Checkpoint subagent = new SampleRun(checkpointer(), threadId, "task:call_1").start();
    Checkpoint last = orchestrator.change(s -> s, Checkpoint.Next.DONE);
    new SampleRun(checkpointer(), newThreadId(), "").start(); // another thread, not listed

    List<CheckpointSummary> page = checkpointer().history(threadId, null, 3);
    List<CheckpointSummary> rest = checkpointer().history(threadId, page.get(2).id(), 3);

    // Ids sort in creation order in a real run; SampleRun's ids ("sub-…" after "cp-…") say the
    // order here.
    assertThat(page)
        .extracting(CheckpointSummary::id)
        .containsExactly(subagent.id(), last.id(), second.id());
    assertThat(rest).extracting(CheckpointSummary::id).containsExactly(first.id());
    assertThat(page.get(1))
        .isEqualTo(
            new CheckpointSummary(
                threadId,
                "",
                last.id(),
                second.id(),
                last.step(),
                Checkpoint.Next.DONE,
                last.createdAt(),
                last.jobId()));
    assertThat(page.get(0).namespace()).isEqualTo("task:call_1");
    assertThat(page.get(1).node()).isEqualTo("model");
    assertThat(page.get(2).node()).isEqualTo("tools"); // saved with next = model
    assertThat(checkpointer().history(threadId, first.id(), 3)).isEmpty();
    assertThat(checkpointer().history(newThreadId(), null, 3)).isEmpty();
  }

  @Test
  void latestOfAnUnknownThreadIsEmpty() {
    assertThat(checkpointer().latest(newThreadId(), "")).isEmpty();
  }

  @Test
  void namespacesOfOneThreadAreSeparate() {
    String threadId = newThreadId();
    SampleRun orchestrator = SampleRun.started(checkpointer(), threadId);
    Checkpoint main = orchestrator.step();
    Checkpoint subagent = new SampleRun(checkpointer(), threadId, "task:call_1").start();

    assertThat(checkpointer().latest(threadId, "")).contains(main);
    assertThat(checkpointer().latest(threadId, "task:call_1")).contains(subagent);
    assertThat(checkpointer().latest(threadId, "task:other")).isEmpty();
  }

  @Test
  void deleteThreadRemovesEveryNamespaceAndSaysWhetherThereWasAny() {
    String threadId = newThreadId();
    new SampleRun(checkpointer(), threadId, "").start();
    new SampleRun(checkpointer(), threadId, "task:call_1").start();

    assertThat(checkpointer().deleteThread(threadId)).isTrue();
    assertThat(checkpointer().latest(threadId, "")).isEmpty();
    assertThat(checkpointer().latest(threadId, "task:call_1")).isEmpty();
    assertThat(checkpointer().deleteThread(threadId)).isFalse();
  }

  @Test
  void deleteThreadLeavesOtherThreadsAlone() {
    SampleRun kept = SampleRun.started(checkpointer(), newThreadId());
    Checkpoint keptLatest = kept.step();
    String deleted = newThreadId();
    new SampleRun(checkpointer(), deleted, "").start();

    checkpointer().deleteThread(deleted);

    assertThat(checkpointer().latest(keptLatest.threadId(), "")).contains(keptLatest);
  }

  @Test
  void aRewrittenHistoryIsReturnedAsRewritten() {
    SampleRun run = SampleRun.started(checkpointer(), newThreadId());
    for (int i = 0; i < 5; i++) run.step();
    Checkpoint summarised = run.summarise();
    assertThat(checkpointer().latest(summarised.threadId(), "")).contains(summarised);

    Checkpoint after = run.step();

    assertThat(checkpointer().latest(after.threadId(), "")).contains(after);
    assertThat(after.state().messages().getFirst().content()).startsWith("Summary of 12 messages");
  }

  @Test
  void deletedFilesAndClearedValuesStayDeleted() {
    SampleRun run = SampleRun.started(checkpointer(), newThreadId());
    run.step();
    Checkpoint cleared =
        run.change(
            state ->
                state
                    .withFiles(new TreeMap<>())
                    .withTodos(List.of())
                    .withMessages(List.of(Message.user("again"))),
            Checkpoint.Next.DONE);

    assertThat(checkpointer().latest(cleared.threadId(), "")).contains(cleared);
  }

  @Test
  void aCheckpointKeepsTheJobThatWroteIt() {
    String threadId = newThreadId();
    Checkpoint byAnotherRun =
        new Checkpoint(
            threadId,
            "",
            "1f000000-0000-7000-8000-000000000002",
            null,
            1,
            java.time.Instant.parse("2025-01-02T03:04:05.123456Z"),
            Checkpoint.Next.DONE,
            SampleRun.initialState(),
            "acme",
            "second-job");
    checkpointer().put(byAnotherRun);

    assertThat(checkpointer().latest(threadId, "")).contains(byAnotherRun);
    assertThat(new SampleRun(checkpointer(), newThreadId(), "").start().jobId())
        .as("without a job id, the thread's own")
        .startsWith("job-");
  }

  @Test
  void pendingWritesBelongToTheirCheckpointAndTheFirstOfATaskAndChannelStands() {
    String threadId = newThreadId();
    Checkpoint step = SampleRun.started(checkpointer(), threadId).step();
    Checkpoint subagent = new SampleRun(checkpointer(), threadId, "task:t").start();
    PendingWrite result =
        new PendingWrite("call_1", PendingWrite.RESULT, Json.object().put("output", "one"));
    PendingWrite decision =
        new PendingWrite("call_2", PendingWrite.RESUME, Json.object().put("type", "approve"));

    checkpointer().putWrite(threadId, "", step.id(), result);
    checkpointer().putWrite(threadId, "", step.id(), decision);
    checkpointer()
        .putWrite(
            threadId,
            "",
            step.id(),
            new PendingWrite("call_2", PendingWrite.RESUME, Json.object().put("type", "reject")));
    checkpointer()
        .putWrite(
            threadId,
            "",
            step.id(),
            new PendingWrite("call_2", PendingWrite.INTERRUPT, Json.object().put("id", "|call_2")));

    assertThat(checkpointer().writes(threadId, "", step.id()))
        .containsExactlyInAnyOrder(
            result,
            decision,
            new PendingWrite("call_2", PendingWrite.INTERRUPT, Json.object().put("id", "|call_2")));
    assertThat(checkpointer().writes(threadId, "task:t", subagent.id())).isEmpty();
    assertThat(checkpointer().writes(threadId, "", subagent.id())).isEmpty();
    assertThat(checkpointer().writes(newThreadId(), "", step.id())).isEmpty();
  }

  @Test
  void deleteThreadRemovesItsPendingWrites() {
    String threadId = newThreadId();
    Checkpoint step = SampleRun.started(checkpointer(), threadId).step();
    checkpointer()
        .putWrite(
            threadId, "", step.id(), new PendingWrite("c", PendingWrite.RESULT, Json.object()));

    checkpointer().deleteThread(threadId);

    assertThat(checkpointer().writes(threadId, "", step.id())).isEmpty();
  }
}
