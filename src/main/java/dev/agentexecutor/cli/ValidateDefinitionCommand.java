package dev.agentexecutor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.job.DefinitionValidation;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** validate-definition: prints every problem of an agent definition (or of a whole job file). */
@Command(
    name = "validate-definition",
    mixinStandardHelpOptions = true,
    description =
        "Check an agent definition, or a job file holding one, and print every problem.%n"
            + "Exit codes: 0 valid, 1 invalid, 2 unreadable file.")
public final class ValidateDefinitionCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description =
          "JSON file: an agent_definition, or a job {job_id, trace_id, agent_definition, input_payload}.")
  Path file;

  @Override
  public Integer call() {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      System.err.println(file + ": cannot read JSON: " + e.getMessage());
      return 2;
    }
    List<Problem> problems = DefinitionValidation.problems(root);
    if (problems.isEmpty()) {
      System.out.println(file + ": valid");
      return 0;
    }
    System.out.println(
        file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
    for (Problem p : problems)
      System.out.println("  " + p.path() + ": " + p.message() + " [" + p.code() + "]");
    return 1;
  }
}
