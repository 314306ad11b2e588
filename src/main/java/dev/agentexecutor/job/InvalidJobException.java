package dev.agentexecutor.job;

import dev.agentexecutor.core.problem.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The input is not a valid job. Carries every problem found, the HTTP status it maps to (400, 413
 * or 415) and the job id when it could be read, so the failed result event can name the job.
 */
public class InvalidJobException extends RuntimeException {
  private final int status;
  private final List<Problem> problems;
  private final String jobId;

  public InvalidJobException(int status, List<Problem> problems, String jobId) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    this.status = status;
    this.problems = List.copyOf(problems);
    this.jobId = jobId;
  }

  public static InvalidJobException badRequest(String code, String path, String message) {
    return new InvalidJobException(400, List.of(new Problem(code, path, message)), null);
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
    return new InvalidJobException(status, problems, id);
  }
}
