package dev.agentexecutor.job;

import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The input is not a valid job. Carries every problem found, the HTTP status they map to (400, 413
 * or 415, from the {@link ProblemCode} catalogue) and the job id when it could be read, so the
 * failed result event can name the job.
 */
public class InvalidJobException extends RuntimeException {
  private final int status;
  private final List<Problem> problems;
  private final String jobId;

  public InvalidJobException(List<Problem> problems, String jobId) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    this.status = ProblemCode.statusOf(problems);
    this.problems = List.copyOf(problems);
    this.jobId = jobId;
  }

  /** One problem with the job (id null when unreadable). */
  public static InvalidJobException of(
      ProblemCode code, String path, String message, String jobId) {
    return new InvalidJobException(List.of(new Problem(code, path, message)), jobId);
  }

  /** One problem with an input whose job id is unknown. */
  public static InvalidJobException badRequest(ProblemCode code, String path, String message) {
    return of(code, path, message, null);
  }

  public int status() {
    return status;
  }

  public List<Problem> problems() {
    return problems;
  }

  /** The job id if the input had a readable one, else null. */
  public String jobId() {
    return jobId;
  }

  public InvalidJobException withJobId(String id) {
    return new InvalidJobException(problems, id);
  }
}
