package dev.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.checkpoint.CheckpointSummary;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.PendingWrite;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.util.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The checkpoints of one loop (its thread and namespace): the latest, to resume from, one saved
 * after every step, and the pending writes of a step in progress. Every checkpoint records the job
 * (run) that wrote it. The orchestrator's listener hears each saved state.
 */
final class LoopCheckpoints {
  /** History rows read at a time when looking for where a run began. */
  private static final int HISTORY_PAGE = 50;

  private final Checkpointer checkpointer;
  private final RunContext run;

  LoopCheckpoints(Checkpointer checkpointer, RunContext run) {
    this.checkpointer = checkpointer;
    this.run = run;
  }

  Optional<Checkpoint> latest() {
    return checkpointer.latest(run.threadId(), run.namespace());
  }

  /**
   * The usage of the newest checkpoint of this loop's thread and namespace that another job wrote:
   * where the run of this job began. Read only when a run resumes (a redelivery), rarely.
   */
  Optional<Usage> usageBeforeRun() {
    String before = null;
    while (true) {
      List<CheckpointSummary> page = checkpointer.history(run.threadId(), before, HISTORY_PAGE);
      for (CheckpointSummary row : page) {
        if (row.namespace().equals(run.namespace()) && !row.jobId().equals(run.jobId())) {
          return checkpointer
              .get(run.threadId(), run.namespace(), row.id())
              .map(c -> c.state().usage());
        }
      }
      if (page.size() < HISTORY_PAGE) return Optional.empty();
      before = page.getLast().id();
    }
  }

  /** Where a loop without checkpoints starts: before its first model call. */
  Checkpoint start(AgentState input) {
    return new Checkpoint(
        run.threadId(),
        run.namespace(),
        null,
        null,
        0,
        run.control().now(),
        Next.MODEL,
        input,
        run.control().tenant(),
        run.jobId());
  }

  /**
   * Where a new turn on a thread starts: the thread's latest state with the turn's input added
   * (messages appended after the previous turn's calls left without a result are answered, files
   * written over, other keys added), before its first model call. Not saved: the first step's
   * checkpoint follows the latest one, as if the turn had been a step of it.
   */
  Checkpoint newTurn(Checkpoint latest, AgentState turn) {
    AgentState prior = latest.state();
    List<Message> messages = new ArrayList<>(DanglingToolCalls.patch(prior.messages(), false));
    messages.addAll(turn.messages());
    Map<String, FileData> files = new TreeMap<>(prior.files());
    files.putAll(turn.files());
    Map<String, JsonNode> extra = new LinkedHashMap<>(prior.extra());
    extra.putAll(turn.extra());
    AgentState state = prior.withMessages(messages).withFiles(files).withExtra(extra);
    return new Checkpoint(
        latest.threadId(),
        latest.namespace(),
        latest.id(),
        latest.parentId(),
        latest.step(),
        run.control().now(),
        Next.MODEL,
        state,
        run.control().tenant(),
        run.jobId());
  }

  /** Saves the state a step reached after {@code from}, and what the loop does next. */
  Checkpoint save(Checkpoint from, AgentState state, Next next) {
    Checkpoint checkpoint =
        new Checkpoint(
            run.threadId(),
            run.namespace(),
            Ids.timeOrdered(),
            from.id(),
            from.id() == null ? 1 : from.step() + 1,
            run.control().now(),
            next,
            state,
            run.control().tenant(),
            run.jobId());
    checkpointer.put(checkpoint);
    if (run.isRoot()) run.listener().onStateUpdate(state);
    return checkpoint;
  }

  /** The same position with another state (not saved). */
  static Checkpoint withState(Checkpoint c, AgentState state) {
    return new Checkpoint(
        c.threadId(),
        c.namespace(),
        c.id(),
        c.parentId(),
        c.step(),
        c.createdAt(),
        c.next(),
        state,
        c.tenant(),
        c.jobId());
  }

  /** The writes recorded against {@code position} by a step that did not finish. */
  List<PendingWrite> writes(Checkpoint position) {
    return checkpointer.writes(run.threadId(), run.namespace(), position.id());
  }

  /** Records a finished call, an interrupt or a decision of the step after {@code position}. */
  void write(Checkpoint position, PendingWrite write) {
    checkpointer.putWrite(run.threadId(), run.namespace(), position.id(), write);
  }
}
