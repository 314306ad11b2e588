package dev.agentexecutor.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.util.Json;

/**
 * A thread's checkpoint exists but this service cannot read it: another checkpointer wrote it
 * (LangGraph's own saver, with LangChain message objects and other serializer types) or it is
 * damaged. The thread can be neither shown nor resumed; HTTP answers 409 with code
 * CHECKPOINT_INCOMPATIBLE, and a job on the thread fails naming the reason.
 */
public final class CheckpointIncompatibleException extends RuntimeException {
  public static final ProblemCode CODE = ProblemCode.CHECKPOINT_INCOMPATIBLE;
  private final String threadId;
  private final String reason;

  public CheckpointIncompatibleException(
      String threadId, String namespace, String checkpointId, String reason, Throwable cause) {
    super(
        "thread '"
            + threadId
            + "' has a checkpoint this service cannot read (checkpoint "
            + checkpointId
            + (namespace.isEmpty() ? "" : " in namespace '" + namespace + "'")
            + "): "
            + reason,
        cause);
    this.threadId = threadId;
    this.reason = reason;
  }

  public String threadId() {
    return threadId;
  }

  /** What was not understood, without the thread and checkpoint ids. */
  public String reason() {
    return reason;
  }

  /**
   * The JSON problem body of the HTTP API: {error, message, problems: [{code, path, message}],
   * job_id}.
   */
  public ObjectNode toProblemJson() {
    ObjectNode body =
        Json.object().put("error", "checkpoint_incompatible").put("message", getMessage());
    body.putArray("problems")
        .addObject()
        .put("code", CODE.name())
        .put("path", "$")
        .put("message", reason);
    body.put("job_id", threadId);
    return body;
  }
}
